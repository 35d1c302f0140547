import type { StateStore } from './state-store.js';

/** A {@link StateStore} in a map; values are copied through JSON as SQLite would. */
export function memoryStateStore(): StateStore {
  const values = new Map<string, string>();
  return {
    get: async (key) => {
      const value = values.get(key);
      return value === undefined ? undefined : JSON.parse(value);
    },
    set: async (key, value) => {
      values.set(key, JSON.stringify(value));
    },
    delete: async (key) => {
      values.delete(key);
    },
    list: async (prefix) =>
      [...values]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => ({ key, value: JSON.parse(value) })),
  };
}
