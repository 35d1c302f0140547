import { StoreError } from '../errors/store-error.js';

/**
 * The {@link StoreError} `STORE_LEASE_LOST` of a fenced write refused because its lease token no
 * longer holds the run (the token itself is not in the message: it is what holds a run).
 * @param what - What was refused, as the end of "The run journal refused to …".
 * @param location - The store file, when there is one.
 * @example
 * ```ts
 * if (tokenOf(runId) !== leaseToken) throw leaseLostError(runId, `record the end of run \`${runId}\``);
 * ```
 * @internal
 */
export function leaseLostError(runId: string, what: string, location?: string): StoreError {
  return new StoreError(
    'STORE_LEASE_LOST',
    `The run journal refused to ${what}: the writer's lease no longer holds run \`${runId}\` ` +
      '(another host took it over, or it was released); nothing of the write was recorded. ' +
      'Stop this host: the run goes on with its new owner.' +
      (location ? ` (store ${location})` : ''),
    { location },
  );
}
