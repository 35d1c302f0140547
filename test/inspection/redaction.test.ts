import { describe, expect, it, vi } from 'vitest';
import {
  redactInspectionEvent,
  redactValue,
} from '../../src/core/redaction/redact-inspection-event.js';
import { createInspectionRecorder } from '../../src/inspection/inspection-recorder.js';
import { createQueryActor } from '../../src/machines/query/create-query-actor.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';

/** A snapshot is readable once its actor has initialised (inspectors read it later). */
function readable(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

describe('secrets never reach an inspector', () => {
  it.each([
    [{ apiKey: 'sk-ant-api03-abcdefgh' }, { apiKey: '[redacted]' }],
    [
      { env: { ANTHROPIC_API_KEY: 'x', HOME: '/h' } },
      { env: { ANTHROPIC_API_KEY: '[redacted]', HOME: '/h' } },
    ],
    [{ headers: { authorization: 'Bearer abc' } }, { headers: { authorization: '[redacted]' } }],
    [{ note: 'key sk-ant-api03-AbCdEfGh1234 inside' }, { note: 'key [redacted] inside' }],
  ])('redacts %o', (input, expected) => {
    expect(redactValue(input)).toEqual(expected);
  });

  it('redacts every inspection event type, including an @xstate.action and its params', () => {
    const actorRef = { getSnapshot: () => ({ context: { options: { apiKey: 'k-SECRETVALUE' } } }) };
    const event = {
      type: '@xstate.action',
      rootId: 'x:0',
      actorRef,
      action: {
        type: 'spawnProcess',
        params: {
          input: { options: { apiKey: 'k-SECRETVALUE', env: { MY_TOKEN: 'tok-SECRET' } } },
        },
      },
    } as unknown as Parameters<typeof redactInspectionEvent>[0];
    const redacted = redactInspectionEvent(event);
    expect(JSON.stringify(redacted)).not.toContain('SECRET');
    expect(JSON.stringify(redacted.actorRef.getSnapshot())).not.toContain('SECRET');
    expect(redacted.type).toBe('@xstate.action');
  });

  it('shows a query actor without its api key or secret env, in snapshots, events and actors', async () => {
    const recorder = createInspectionRecorder();
    const events: unknown[] = [];
    const { spawn } = scriptedSpawn(() => ({ text: 'ok' }));
    const actor = createQueryActor(
      'hi',
      {
        executable: process.execPath,
        apiKey: 'sk-ant-api03-SECRETSECRET',
        env: { GITHUB_TOKEN: 'ghp_SECRET', HOME: '/h' },
      },
      {
        spawn,
        inspect: (event) => {
          recorder.inspect.next?.(event);
          events.push({
            type: event.type,
            snapshot: (event as { snapshot?: unknown }).snapshot,
            event: (event as { event?: unknown }).event,
            actor: readable(() => event.actorRef.getSnapshot()),
          });
        },
      },
    );
    vi.useFakeTimers();
    try {
      actor.start();
      await vi.advanceTimersByTimeAsync(50);
    } finally {
      vi.useRealTimers();
    }
    const text = JSON.stringify(events);
    expect(text).not.toContain('SECRET');
    expect(text).toContain('[redacted]');
    expect(text).toContain('/h');
    actor.stop();
  });

  it('persists a query actor without its api key or secret env', () => {
    const { spawn } = scriptedSpawn(() => ({ text: 'ok', delayMs: 1_000 }));
    const actor = createQueryActor(
      'hi',
      {
        executable: process.execPath,
        apiKey: 'sk-ant-api03-SECRETSECRET',
        env: { GITHUB_TOKEN: 'ghp_SECRET' },
      },
      { spawn },
    ).start();
    const persisted = JSON.stringify(actor.getPersistedSnapshot());
    expect(persisted).not.toContain('SECRET');
    expect(persisted).toContain('[redacted]');
    // The live actor still has what its process needs.
    expect(actor.getSnapshot().context.options.apiKey).toBe('sk-ant-api03-SECRETSECRET');
    actor.stop();
  });
});
