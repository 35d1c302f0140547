import type { Database } from 'better-sqlite3';
import type { StateStore } from './state-store.js';

/**
 * A {@link StateStore} on the `state` table: each call commits before it returns (the promise
 * only carries the result), so a process killed after `set` returned keeps the value.
 */
export function sqliteStateStore(db: Database): StateStore {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM state WHERE key = ?');
  const set = db.prepare<[string, string, number]>(
    'INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string]>('DELETE FROM state WHERE key = ?');
  const list = db.prepare<[string, string], { key: string; value: string }>(
    'SELECT key, value FROM state WHERE key >= ? AND key < ? ORDER BY key',
  );
  return {
    get: async (key) => {
      const row = get.get(key);
      return row && JSON.parse(row.value);
    },
    set: async (key, value) => {
      set.run(key, JSON.stringify(value), Date.now());
    },
    delete: async (key) => {
      remove.run(key);
    },
    list: async (prefix) =>
      list
        .all(prefix, `${prefix}\uffff`)
        .map((row) => ({ key: row.key, value: JSON.parse(row.value) })),
  };
}
