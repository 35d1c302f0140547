import { describe, expect, it } from 'vitest';
import { type AnyActorRef, createActor } from 'xstate';
import { queryChildSpec } from '../../src/machines/query/query-child-spec.js';
import {
  liveProcesses,
  waitForNoLiveProcesses,
} from '../../src/process/registry/process-registry.js';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import type { SupervisorEvent } from '../../src/supervisors/types.js';
import { eventually, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

const pidOf = (ref: AnyActorRef | undefined): number | undefined =>
  (ref?.getSnapshot() as { context?: { pid?: number } } | undefined)?.context?.pid;

describe('query actors under supervisors (real CLI)', () => {
  it('one_for_all: one CLI killed restarts all three queries, which then all succeed', async () => {
    for (const n of [1, 2, 3]) {
      sim.env.simulator.on(`ofa-${n}`, [
        { kind: 'text', text: `slow ${n}`, chunkSize: 1, chunkDelayMs: 400 },
        { kind: 'text', text: `done ${n}` },
      ]);
    }
    const specs = [1, 2, 3].map((n) =>
      queryChildSpec(`q${n}`, `ofa-${n}`, sim.env.options, { shutdown: 'brutal_kill' }),
    );
    const supervisor = createActor(
      createSupervisor({ strategy: 'one_for_all', intensity: 3 }, specs),
    ).start();
    const events: SupervisorEvent[] = [];
    supervisor.on('*', (e) => events.push(e as SupervisorEvent));
    const client = supervisorClient(supervisor);
    const before = new Map(client.whichChildren().map((c) => [c.id, c.child]));
    await sim.env.simulator.waitForRequests(3, 10_000);
    const victim = client.whichChildren().find((c) => c.id === 'q2')!.child as AnyActorRef;
    expect(await eventually(() => pidOf(victim) !== undefined, 5_000)).toBe(true);
    process.kill(pidOf(victim)!, 'SIGKILL');

    // Each restarted query then succeeds and exits normally (transient: not restarted again).
    expect(
      await eventually(
        () => events.filter((e) => e.type === 'child.exited' && e.reason === 'normal').length === 3,
        20_000,
      ),
    ).toBe(true);
    const exits = events.filter((e) => e.type === 'child.exited');
    expect(exits.slice(0, 3)).toEqual([
      expect.objectContaining({
        id: 'q2',
        reason: { abnormal: expect.objectContaining({ signal: 'SIGKILL' }) },
        restart: true,
      }),
      expect.objectContaining({ id: 'q3', reason: 'killed', restart: true }),
      expect.objectContaining({ id: 'q1', reason: 'killed', restart: true }),
    ]);
    const restarted = events.flatMap((e) => (e.type === 'child.started' ? [e] : []));
    expect(restarted.map((e) => e.id)).toEqual(['q1', 'q2', 'q3']);
    // Every child got a new actor.
    for (const e of restarted) expect(e.child).not.toBe(before.get(e.id));
    for (const id of ['q1', 'q2', 'q3']) {
      const prompts = sim.env.simulator.requests.filter((r) => r.prompt === `ofa-${id.slice(1)}`);
      expect(prompts).toHaveLength(2);
    }
    await client.stop();
    await waitForNoLiveProcesses(5_000);
  });

  it('escalates to the root, which gives up and stops cleanly with no process left', async () => {
    sim.env.simulator.on('escalate', { kind: 'hang' });
    const workers = createSupervisor({ strategy: 'one_for_one', intensity: 0 }, [
      queryChildSpec('a', 'escalate a', sim.env.options, { shutdown: 1_000 }),
      queryChildSpec('b', 'escalate b', sim.env.options, { shutdown: 1_000 }),
    ]);
    const root = createActor(
      createSupervisor({ strategy: 'one_for_one', intensity: 0 }, [
        { id: 'workers', type: 'supervisor', start: () => workers },
      ]),
    ).start();
    const rootEvents: SupervisorEvent[] = [];
    root.on('*', (e) => rootEvents.push(e as SupervisorEvent));
    await sim.env.simulator.waitForRequests(2, 10_000);
    const workersRef = supervisorClient(root).whichChildren()[0]!.child as AnyActorRef;
    const a = supervisorClient(workersRef)
      .whichChildren()
      .find((c) => c.id === 'a')!.child as AnyActorRef;
    expect(await eventually(() => pidOf(a) !== undefined, 5_000)).toBe(true);
    process.kill(pidOf(a)!, 'SIGKILL');

    expect(await eventually(() => root.getSnapshot().status === 'done', 10_000)).toBe(true);
    expect(root.getSnapshot().output).toEqual({ exitReason: 'shutdown', cause: 'intensity' });
    expect(rootEvents).toContainEqual(
      expect.objectContaining({
        type: 'child.exited',
        id: 'workers',
        reason: 'shutdown',
        restart: true,
      }),
    );
    await waitForNoLiveProcesses(5_000);
    expect(liveProcesses()).toEqual([]);
  });
});
