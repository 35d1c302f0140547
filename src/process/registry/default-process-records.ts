import { createFileProcessRecordStore } from '../../store/processes/file-process-record-store.js';
import type { ProcessRecordStore } from '../../store/processes/process-record-store.js';

let store: ProcessRecordStore | undefined;

/**
 * The registry of CLI processes every host shares when nothing else is configured: the JSON
 * files of {@link createFileProcessRecordStore} in {@link defaultProcessRecordDir}. One
 * instance per host, created on first use.
 */
export function defaultProcessRecords(): ProcessRecordStore {
  store ??= createFileProcessRecordStore();
  return store;
}
