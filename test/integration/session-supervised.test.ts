import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { SessionLifecycleEvent } from '../../src/machines/session/session.js';
import { sessionChildSpec } from '../../src/machines/session/session-child-spec.js';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { supervisorClient } from '../../src/supervisors/supervisor-client.js';
import type { SupervisorEvent } from '../../src/supervisors/types.js';
import { eventually, isAlive, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

describe('a supervised session (real CLI)', () => {
  it('is restarted after its CLI is SIGKILLed, resumes its session id and tells the caller', async () => {
    sim.env.simulator.on('remember blue', { kind: 'text', text: 'blue noted' });
    sim.env.simulator.on('slow turn', {
      kind: 'text',
      text: 'x'.repeat(50),
      chunkSize: 1,
      chunkDelayMs: 200,
    });
    sim.env.simulator.on('which colour', { kind: 'text', text: 'blue' });
    const spec = sessionChildSpec('chat', sim.env.options);
    const session = spec.session;
    const lifecycle: SessionLifecycleEvent[] = [];
    session.lifecycle$.subscribe((e) => lifecycle.push(e));
    const supervisor = createActor(createSupervisor({ intensity: 2, period: 30 }, [spec])).start();
    const events: SupervisorEvent[] = [];
    supervisor.on('*', (e) => events.push(e as SupervisorEvent));

    await session.send('remember blue').result;
    const sessionId = session.sessionId;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const firstPid = lifecycle.find((e) => e.type === 'session.spawned')?.pid;
    expect(firstPid).toBeDefined();

    const doomed = session.send('slow turn');
    await sim.env.simulator.waitForRequests(2, 5_000);
    process.kill(firstPid!, 'SIGKILL');
    await expect(doomed.result).rejects.toMatchObject({
      code: 'PROCESS_EXITED',
      signal: 'SIGKILL',
    });
    expect(
      await eventually(() => lifecycle.some((e) => e.type === 'session.restarted'), 10_000),
    ).toBe(true);
    expect(lifecycle.find((e) => e.type === 'session.failed')).toMatchObject({ generation: 1 });
    expect(lifecycle.find((e) => e.type === 'session.restarted')).toMatchObject({
      generation: 2,
      resumedSessionId: sessionId,
    });
    expect(events.find((e) => e.type === 'child.exited')).toMatchObject({
      id: 'chat',
      restart: true,
      reason: { abnormal: expect.objectContaining({ code: 'PROCESS_EXITED' }) },
    });

    // The new CLI resumed the same conversation.
    const answer = await session.send('which colour').result;
    expect(answer.result.result).toBe('blue');
    expect(session.sessionId).toBe(sessionId);
    const last = sim.env.simulator.requests.at(-1);
    expect(JSON.stringify((last?.body as { messages: unknown[] }).messages)).toContain(
      'blue noted',
    );
    expect(isAlive(firstPid!)).toBe(false);

    await supervisorClient(supervisor).stop();
    expect(await session.closed).toMatchObject({ status: 'closed', reason: 'shutdown' });
  });
});
