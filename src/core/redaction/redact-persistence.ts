import type { AnyActorLogic } from 'xstate';
import { redactValue } from './redact-inspection-event.js';

/**
 * Makes a logic's persisted snapshots carry no credentials (a query's `apiKey`, secret `env`
 * entries): `actor.getPersistedSnapshot()` returns them redacted. The live snapshot keeps them,
 * as the running actor needs them.
 */
export function redactPersistence<T extends AnyActorLogic>(logic: T): T {
  const persist = logic.getPersistedSnapshot.bind(logic);
  const redacted = Object.create(logic) as T;
  redacted.getPersistedSnapshot = ((snapshot: unknown, options?: unknown) =>
    redactValue(persist(snapshot as never, options as never))) as T['getPersistedSnapshot'];
  return redacted;
}
