import type { ProcessPool } from '../process/pool/process-pool.js';

/**
 * @internal The warm pool of a runtime's running pool actor. The actor hands over each pool it
 * makes (a restarted actor has a fresh one) and `undefined` when it stops; the last pool stays
 * known, so that stopping the runtime can wait for its idle processes to exit.
 */
export class PoolSlot {
  #current: ProcessPool | undefined;
  #last: ProcessPool | undefined;

  /** The pool actor's `onPool`: bound, so it can be passed as it is. */
  readonly set = (pool: ProcessPool | undefined): void => {
    this.#current = pool;
    if (pool) this.#last = pool;
  };

  /** The pool of the running pool actor, if any. */
  get current(): ProcessPool | undefined {
    return this.#current;
  }

  /** The last pool there was (perhaps closed). */
  get last(): ProcessPool | undefined {
    return this.#last;
  }
}
