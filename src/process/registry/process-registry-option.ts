import { z } from 'zod';
import type { ProcessRecordStore } from '../../store/processes/process-record-store.js';

function isProcessRecordStore(value: unknown): value is ProcessRecordStore {
  if (typeof value !== 'object' || value === null) return false;
  const store = value as Record<string, unknown>;
  return ['record', 'remove', 'listByHost', 'list'].every((m) => typeof store[m] === 'function');
}

/**
 * Where a runtime records the CLI processes it starts (and reaps those of dead hosts when it
 * starts): `'default'` is the runtime's store (`store.processes`) when it has one, else the
 * per-user folder of JSON files (`createFileProcessRecordStore()`); a `ProcessRecordStore` of
 * your own; or `false`, nowhere (a host SIGKILLed together with its watchdog then leaves its
 * CLIs running).
 * @defaultValue 'default'
 */
export const ProcessRegistryOptionSchema = z.union([
  z.literal(false),
  z.literal('default'),
  z.custom<ProcessRecordStore>(isProcessRecordStore, {
    error: "expected false, 'default' or a ProcessRecordStore (record, remove, listByHost, list)",
  }),
]);

/** See {@link ProcessRegistryOptionSchema}. */
export type ProcessRegistryOption = z.input<typeof ProcessRegistryOptionSchema>;
