import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createInspectionRecorder } from '../../src/inspection/inspection-recorder.js';
import { textDeltas } from '../../src/machines/query/streams/text-deltas.js';
import { liveProcesses } from '../../src/process/registry/process-registry.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import type { SupervisionNode } from '../../src/runtime/supervision-tree.js';
import { isAlive, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
const runtimeWithSim = (extra: Parameters<typeof createRuntime>[0] = {}) =>
  createRuntime({
    defaults: { ...sim.env.options, retry: { maxAttempts: 3, initialDelayMs: 100, jitter: 0 } },
    ...extra,
  });

function queriesNode(tree: SupervisionNode): SupervisionNode {
  return tree.children!.find((c) => c.id === 'queries')!;
}

describe('the runtime (real CLI against the simulator)', () => {
  it('runs a query as a supervised actor and reports the tree and what runs', async () => {
    const runtime = runtimeWithSim();
    sim.env.simulator.on('hello runtime', {
      kind: 'text',
      text: 'hi from the tree',
      chunkDelayMs: 20,
    });
    const handle = runtime.query('hello runtime', {}, { tags: ['greeting'] });
    expect(runtime.running()).toEqual([
      expect.objectContaining({ queryId: handle.queryId, tags: ['greeting'], attempts: 1 }),
    ]);
    const during = queriesNode(runtime.tree());
    expect(during).toMatchObject({ kind: 'supervisor', status: 'running' });
    expect(during.children).toHaveLength(1);
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'succeeded', text: 'hi from the tree', attempts: 1 });
    expect(runtime.running()).toEqual([]);
    expect(queriesNode(runtime.tree()).children).toEqual([]);
    await runtime.stop();
    expect(runtime.root.getSnapshot().status).toBe('done');
  });

  it('restarts a query whose CLI is SIGKILLed and delivers its result once', async () => {
    const runtime = runtimeWithSim();
    sim.env.simulator.on('kill me', [
      { kind: 'text', text: 'slow first answer', chunkSize: 3, chunkDelayMs: 150 },
      { kind: 'text', text: 'answer after restart' },
    ]);
    const handle = runtime.query('kill me', { includePartialMessages: true });
    const trees: SupervisionNode[] = [];
    const treeSub = runtime.tree$.subscribe((tree) => trees.push(tree));
    const events = firstValueFrom(handle.events$.pipe(toArray()));
    let killedPid = 0;
    handle.messages$.pipe(textDeltas()).subscribe(() => {
      const pid = (handle.actor()?.getSnapshot() as { context?: { pid?: number } }).context?.pid;
      if (!killedPid && pid) {
        killedPid = pid;
        process.kill(pid, 'SIGKILL');
      }
    });
    const settled: unknown[] = [];
    handle.result.then((r) => settled.push(r));
    const result = await handle.result;
    treeSub.unsubscribe();
    expect(killedPid).toBeGreaterThan(0);
    expect(isAlive(killedPid)).toBe(false);
    expect(result).toMatchObject({
      status: 'succeeded',
      text: 'answer after restart',
      attempts: 2,
    });
    expect(result.attemptErrors[0]).toMatchObject({ code: 'PROCESS_EXITED', signal: 'SIGKILL' });
    const all = await events;
    expect(all.filter((e) => e.type === 'query.spawned')).toHaveLength(2);
    expect(all.find((e) => e.type === 'query.retrying')).toMatchObject({
      attempt: 1,
      delayMs: 100,
    });
    // The restart showed in the tree: the query child with one restart.
    expect(trees.some((t) => queriesNode(t).children?.some((c) => c.restarts === 1))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toHaveLength(1);
    await runtime.stop();
  });

  it('gives up after retry.maxAttempts restarts with every attempt error', async () => {
    const runtime = runtimeWithSim();
    sim.env.simulator.on('always overloaded', { kind: 'error', status: 529 });
    const result = await runtime.query('always overloaded', {
      retry: { maxAttempts: 2, initialDelayMs: 50 },
    }).result;
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(2);
    expect(result.attemptErrors.map((e) => e.code)).toEqual(['API_ERROR', 'API_ERROR']);
    expect(sim.env.simulator.requests).toHaveLength(2);
    await runtime.stop();
  });

  it('stops gracefully: a running query may finish within the deadline', async () => {
    const runtime = runtimeWithSim();
    sim.env.simulator.on('finish me', {
      kind: 'text',
      text: 'finished during shutdown',
      chunkSize: 4,
      chunkDelayMs: 60,
    });
    const handle = runtime.query('finish me');
    await sim.env.simulator.waitForRequests(1, 10_000);
    await runtime.stop({ deadlineMs: 10_000 });
    expect(await handle.result).toMatchObject({
      status: 'succeeded',
      text: 'finished during shutdown',
    });
    expect(liveProcesses()).toEqual([]);
  });

  it('stops: a query past the deadline is cancelled and its process killed', async () => {
    const runtime = runtimeWithSim();
    sim.env.simulator.on('never ends', { kind: 'hang' });
    const handle = runtime.query('never ends');
    await sim.env.simulator.waitForRequests(1, 10_000);
    const started = Date.now();
    await runtime.stop({ deadlineMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await handle.result).toMatchObject({ status: 'cancelled' });
    expect(liveProcesses()).toEqual([]);
    // After stop, new queries are refused at once.
    expect(await runtime.query('too late').result).toMatchObject({ status: 'cancelled' });
  });

  it('shows every actor of its tree to the inspector, each with its parent', async () => {
    const recorder = createInspectionRecorder();
    const runtime = runtimeWithSim({ inspect: recorder.inspect });
    const handle = runtime.query('inspect me');
    await handle.result;
    await runtime.stop();
    const actors = recorder.actors();
    const byId = (id: string) => actors.find((a) => a.id === id);
    const parentOf = (id: string) =>
      actors.find((a) => a.sessionId === byId(id)?.parentSessionId)?.id;
    expect(byId('claude-actors')?.parentSessionId).toBeUndefined();
    expect(parentOf('queries')).toBe('claude-actors');
    const query = actors.find((a) => a.id.startsWith('query-'))!;
    expect(actors.find((a) => a.sessionId === query.parentSessionId)?.id).toBe('queries');
    // The process actor of the attempt is the query's child.
    expect(actors.some((a) => a.parentSessionId === query.sessionId)).toBe(true);
  });

  it('rejects invalid runtime options naming the field', () => {
    expect(() => createRuntime({ queries: { intensity: -1 } })).toThrow(/queries\.intensity.*-1/);
    expect(() => createRuntime({ defaults: { maxTurns: 0 } })).toThrow(/maxTurns/);
  });
});
