import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { StoreErrorCode } from './store-error-code.js';

/**
 * The store cannot be opened or written: the SQLite driver is missing or built for another
 * Node.js (`STORE_UNAVAILABLE`), the file is not a store, was written by a newer version of
 * this library, or a write failed (`STORE_FAILED`); something that needs a store was given
 * none (`STORE_MISSING`: `runtime.sessions` of a runtime created without `store`), a run
 * journal write carried a lease token that no longer holds its run (`STORE_LEASE_LOST`: another
 * host took the run over, or it was released; nothing of the write landed). Never retryable
 * as it is: the message says what to do.
 */
export class StoreError extends ClaudeActorsError {
  readonly code: StoreErrorCode;
  /** The store's file, when it has one. */
  readonly location: string | undefined;

  constructor(
    code: StoreErrorCode,
    message: string,
    options: { location?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, { retryable: false, cause: options.cause });
    this.code = code;
    this.location = options.location;
  }
}
