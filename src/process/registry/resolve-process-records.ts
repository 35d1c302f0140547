import type { ProcessRecordStore } from '../../store/processes/process-record-store.js';
import type { Store } from '../../store/store.js';
import { defaultProcessRecords } from './default-process-records.js';
import type { ProcessRegistryOption } from './process-registry-option.js';

/** The records a `processes.registry` option names (see {@link ProcessRegistryOptionSchema}). */
export function resolveProcessRecords(
  option: ProcessRegistryOption | undefined,
  store: Store | undefined,
): ProcessRecordStore | false {
  if (option === false) return false;
  if (option === undefined || option === 'default')
    return store?.processes ?? defaultProcessRecords();
  return option;
}
