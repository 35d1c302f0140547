import { StoreError } from '../store/errors/store-error.js';
import type { SessionStore } from '../store/sessions/session-store.js';
import type { Store } from '../store/store.js';

/**
 * The sessions a runtime recorded in its store (`runtime.sessions`): find, show, delete and
 * clean them up. The runtime writes them; callers only read and remove.
 */
export type RecordedSessions = Pick<SessionStore, 'list' | 'get' | 'delete' | 'cleanup'>;

/**
 * @internal `runtime.sessions`: the store's sessions, or, for a runtime created without a
 * store, methods that reject with a `STORE_MISSING` {@link StoreError} saying how to add one
 * (nothing is recorded without a store, so an empty answer would mislead).
 */
export function recordedSessions(store: Store | undefined): RecordedSessions {
  if (store) {
    const { sessions } = store;
    return {
      list: (filter) => sessions.list(filter),
      get: (id) => sessions.get(id),
      delete: (id) => sessions.delete(id),
      cleanup: (options) => sessions.cleanup(options),
    };
  }
  const missing = (): Promise<never> =>
    Promise.reject(
      new StoreError(
        'STORE_MISSING',
        'This runtime records no sessions: it was created without a store. Create it with ' +
          "one, e.g. `createRuntime({ store: openSqliteStore('claude-actors-output/store.db') })`.",
      ),
    );
  return { list: missing, get: missing, delete: missing, cleanup: missing };
}
