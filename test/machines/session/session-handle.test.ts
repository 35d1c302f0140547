import { describe, expect, it } from 'vitest';
import { INITIALIZE_REQUEST_ID } from '../../../src/machines/control/initialize-request-id.js';
import { type SessionActor, SessionHandle } from '../../../src/machines/session/session-handle.js';
import { sessionHarness } from './session-harness.js';

function readyHandle(supervised: boolean) {
  const harness = sessionHarness();
  const handle = new SessionHandle('k1', { supervised });
  handle.attach(harness.actor as unknown as SessionActor);
  harness.respond(INITIALIZE_REQUEST_ID);
  return { harness, handle };
}

describe('SessionHandle control requests', () => {
  it('settles a control request with the CLI answer', async () => {
    const { harness, handle } = readyHandle(false);
    const done = handle.setModel('opus');
    const request = harness.written.find(
      (line) => line.type === 'control_request' && line.request_id !== INITIALIZE_REQUEST_ID,
    );
    expect(request).toMatchObject({ request: { subtype: 'set_model', model: 'opus' } });
    harness.respond(String(request?.request_id));
    await expect(done).resolves.toBeUndefined();
  });

  it('rejects a pending control request when its supervised actor is stopped from outside', async () => {
    const { harness, handle } = readyHandle(true);
    const pending = handle.interrupt();
    harness.actor.stop();
    await expect(pending).rejects.toMatchObject({
      code: 'SESSION_CLOSED',
      operation: 'interrupt',
      sessionKey: 'k1',
      message: 'Session k1 cannot run interrupt: its CLI stopped before it answered',
    });
  });

  it('rejects a pending control request when the session is killed', async () => {
    const { harness, handle } = readyHandle(false);
    const pending = handle.setPermissionMode('plan');
    harness.actor.stop();
    await expect(pending).rejects.toMatchObject({
      code: 'SESSION_CLOSED',
      operation: 'set_permission_mode',
    });
    await expect(handle.closed).resolves.toMatchObject({ status: 'closed', reason: 'killed' });
  });
});
