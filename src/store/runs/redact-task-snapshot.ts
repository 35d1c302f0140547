import { redactSecrets } from '../../core/redaction/redact-secrets.js';
import type { TaskSnapshot } from './task-record.js';

/** `snapshot` with its output and error message passed through `redactSecrets`. */
export function redactTaskSnapshot(snapshot: TaskSnapshot): TaskSnapshot {
  return {
    ...snapshot,
    output: snapshot.output === undefined ? undefined : redactSecrets(snapshot.output),
    error: snapshot.error === undefined ? undefined : redactSecrets(snapshot.error),
  };
}
