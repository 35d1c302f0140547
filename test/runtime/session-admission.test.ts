import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/machines/query/errors/api-error.js';
import type {
  ClaudeProcess,
  ExitInfo,
  SpawnClaudeOptions,
} from '../../src/process/spawn/spawn-claude.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { settle } from '../orchestration/patterns/harness.js';

/**
 * A fake session CLI: answers `initialize`, and each user line, 10 ms later, with a result
 * costing `costUsd` (the CLI reports its running total). Records when each user line arrived.
 */
function sessionSpawn(costUsd = 0.01) {
  const turns: { text: string; at: number }[] = [];
  let nextPid = 3_000_000;
  const spawn = (options: SpawnClaudeOptions): ClaudeProcess => {
    let finish!: (exit: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => {
      finish = resolve;
    });
    let total = 0;
    let ended = false;
    const end = (info: Partial<ExitInfo> = {}): void => {
      if (ended) return;
      ended = true;
      setTimeout(() => finish({ exitCode: 0, signal: undefined, stderrTail: '', ...info }), 0);
    };
    const out = (...messages: Record<string, unknown>[]): void => {
      setTimeout(() => {
        if (ended) return;
        options.onStdout(Buffer.from(messages.map((m) => `${JSON.stringify(m)}\n`).join('')));
      }, 10);
    };
    return {
      pid: nextPid++,
      exited,
      write(line) {
        const message = JSON.parse(line) as Record<string, unknown>;
        if (message.type === 'control_request') {
          out({
            type: 'control_response',
            response: { subtype: 'success', request_id: message.request_id, response: {} },
          });
        } else if (message.type === 'user') {
          const text = (message.message as { content: string }).content;
          turns.push({ text, at: Date.now() });
          total += costUsd;
          out(
            { type: 'system', subtype: 'init', session_id: 'fake-session', model: 'fake' },
            {
              type: 'result',
              subtype: 'success',
              is_error: false,
              result: `re: ${text}`,
              session_id: 'fake-session',
              total_cost_usd: total,
              num_turns: 1,
              usage: { input_tokens: 10, output_tokens: 5 },
            },
          );
        }
        return true;
      },
      closeInput: () => end(),
      terminate: () => {
        end({ exitCode: undefined, signal: 'SIGTERM' });
        return exited;
      },
      stop: () => exited,
      kill: () => end({ exitCode: undefined, signal: 'SIGKILL' }),
      stderrTail: () => '',
    };
  };
  return { spawn, turns };
}

describe('session turns go through the runtime admission (fake CLI, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function stop(runtime: ReturnType<typeof createRuntime>): Promise<void> {
    const stopped = runtime.stop({ deadlineMs: 1_000 });
    await vi.runAllTimersAsync();
    await stopped;
  }

  it('a turn waits while the limiter holds its only slot, then runs', async () => {
    const cli = sessionSpawn();
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn: cli.spawn },
      limiter: { maxConcurrent: 1 },
    });
    const limiter = runtime.system().limiter!;
    await limiter.acquire({ requestId: 'held' });
    const session = runtime.session();
    const turn = session.send('hello');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cli.turns).toEqual([]);
    expect(limiter.state()).toMatchObject({ inFlight: 1 });
    limiter.release('held');
    const result = await settle(turn.result);
    expect(result.result).toMatchObject({ result: 're: hello' });
    expect(cli.turns.map((t) => t.text)).toEqual(['hello']);
    // The turn's permit is returned once the turn ends.
    await vi.advanceTimersByTimeAsync(0);
    expect(limiter.state()).toMatchObject({ inFlight: 0 });
    await stop(runtime);
  });

  it('an open breaker makes a turn wait for its half-open probe instead of failing', async () => {
    const cli = sessionSpawn();
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn: cli.spawn },
      breaker: { policy: { kind: 'consecutive', threshold: 1 }, resetTimeout: 10_000 },
    });
    const breaker = runtime.system().breaker!;
    await breaker.allow({ requestId: 'outage' });
    breaker.record('outage', {
      ok: false,
      error: new ApiError({ status: 529, errorType: 'overloaded_error' }),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(breaker.state().state).toBe('open');
    const openedAt = Date.now();
    const session = runtime.session();
    const turn = session.send('during the outage');
    await vi.advanceTimersByTimeAsync(9_000);
    expect(cli.turns).toEqual([]);
    const result = await settle(turn.result);
    expect(result.result).toMatchObject({ result: 're: during the outage' });
    expect(cli.turns[0]!.at - openedAt).toBeGreaterThanOrEqual(10_000);
    // The probe succeeded: the turn closed the breaker.
    await vi.advanceTimersByTimeAsync(0);
    expect(breaker.state().state).toBe('closed');
    await stop(runtime);
  });

  it('rejects a turn with the budget error once the budget is spent; the CLI never sees it', async () => {
    const cli = sessionSpawn(0.03);
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn: cli.spawn },
      budget: { totalUsd: 0.05 },
    });
    const session = runtime.session();
    await settle(session.send('one').result);
    await settle(session.send('two').result);
    await vi.advanceTimersByTimeAsync(0);
    const refused = session.send('three').result.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(await settle(refused)).toMatchObject({ code: 'BUDGET_EXCEEDED', retryable: false });
    expect(cli.turns.map((t) => t.text)).toEqual(['one', 'two']);
    await stop(runtime);
  });

  it('counts each turn cost, tokens and outcome in runtime.stats()', async () => {
    const cli = sessionSpawn(0.02);
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn: cli.spawn },
    });
    const session = runtime.session();
    const first = await settle(session.send('a').result);
    const second = await settle(session.send('b').result);
    await vi.advanceTimersByTimeAsync(0);
    expect(first.turnCostUsd).toBeCloseTo(0.02, 9);
    expect(second.turnCostUsd).toBeCloseTo(0.02, 9);
    const stats = runtime.stats()!;
    expect(stats.total.costUsd).toBeCloseTo(0.04, 9);
    expect(stats.total).toMatchObject({ succeeded: 2 });
    expect(stats.byTag.session?.costUsd).toBeCloseTo(0.04, 9);
    await stop(runtime);
  });

  it('stops promptly while a turn waits for the limiter', async () => {
    const cli = sessionSpawn();
    const runtime = createRuntime({
      defaults: { executable: process.execPath },
      processes: { spawn: cli.spawn },
      limiter: { maxConcurrent: 1 },
    });
    await runtime.system().limiter!.acquire({ requestId: 'held' });
    const session = runtime.session();
    const turn = session.send('never admitted').result.then(
      () => 'ok',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(1_000);
    const began = Date.now();
    await settle(runtime.stop({ deadlineMs: 60_000 }));
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(await turn).toBeInstanceOf(Error);
    expect(cli.turns).toEqual([]);
  });
});
