import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { queryChildSpec } from '../../../src/machines/query/query-child-spec.js';
import type { QueryResult } from '../../../src/machines/query/query-types.js';
import { createSupervisor } from '../../../src/supervisors/create-supervisor.js';
import type { SupervisorEvent } from '../../../src/supervisors/types.js';
import { scriptedSpawn } from '../../helpers/scripted-spawn.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Runs one queryChildSpec child under a one_for_one supervisor; collects its exits. */
function supervise(failures: number, retry: { maxAttempts: number }, totalMs?: number) {
  const { spawn, state } = scriptedSpawn((_prompt, call) =>
    call < failures ? { apiErrorStatus: 529, delayMs: 10 } : { text: 'done', delayMs: 10 },
  );
  const spec = queryChildSpec(
    'summary',
    'Summarise',
    {
      executable: process.execPath,
      retry: { ...retry, initialDelayMs: 1_000, jitter: 0 },
      ...(totalMs === undefined ? {} : { timeouts: { totalMs } }),
    },
    { spawn },
  );
  const supervisor = createActor(createSupervisor({ intensity: 10, period: 60 }, [spec]));
  const exits: { reason: unknown; restart: boolean }[] = [];
  const outputs: QueryResult[] = [];
  const inputs: string[] = [];
  supervisor.on('child.started', (event: SupervisorEvent) => {
    if (event.type !== 'child.started') return;
    const snapshot = event.child.getSnapshot() as { context: { queryId: string } };
    inputs.push(snapshot.context.queryId);
    event.child.subscribe({
      complete: () => outputs.push(event.child.getSnapshot().output as QueryResult),
    });
  });
  supervisor.on('child.exited', (event: SupervisorEvent) => {
    if (event.type === 'child.exited') exits.push({ reason: event.reason, restart: event.restart });
  });
  supervisor.start();
  return { supervisor, exits, outputs, inputs, state };
}

describe('queryChildSpec retries by restart, one query across its instances', () => {
  it('continues the same query after each planned retry: same id, attempts counted on, backoff waited', async () => {
    const run = supervise(2, { maxAttempts: 3 });
    await vi.advanceTimersByTimeAsync(500);
    expect(run.state.calls).toHaveLength(1); // the first retry waits its 1 s backoff
    await vi.advanceTimersByTimeAsync(5_000);
    expect(run.state.calls).toHaveLength(3);
    expect(run.exits.map((e) => e.restart)).toEqual([true, true, false]);
    expect(new Set(run.inputs).size).toBe(1);
    const last = run.outputs.at(-1)!;
    expect(last).toMatchObject({ status: 'succeeded', attempts: 3 });
    run.supervisor.stop();
  });

  it('gives up after maxAttempts across instances: the last failure ends the child normally', async () => {
    const run = supervise(10, { maxAttempts: 2 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run.state.calls).toHaveLength(2);
    expect(run.exits.map((e) => e.restart)).toEqual([true, false]);
    expect(run.exits.at(-1)!.reason).toBe('normal');
    expect(run.outputs.at(-1)).toMatchObject({ status: 'failed', attempts: 2 });
    run.supervisor.stop();
  });

  it('does not restart past the total timeout, however many attempts are left', async () => {
    const run = supervise(10, { maxAttempts: 5 }, 1_500);
    await vi.advanceTimersByTimeAsync(10_000);
    // Attempts at 0 and ~1 s; the second retry's 2 s backoff runs past the 1.5 s deadline, so
    // the third instance ends on the total timeout while it waits, and is not restarted.
    expect(run.state.calls).toHaveLength(2);
    expect(run.exits.map((e) => e.restart)).toEqual([true, true, false]);
    expect(run.outputs.at(-1)).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { code: 'TOTAL_TIMEOUT' },
    });
    run.supervisor.stop();
  });
});
