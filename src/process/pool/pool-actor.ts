import { fromCallback } from 'xstate';
import type { ProcessPoolOptions } from './pool-options.js';
import { ProcessPool, type ProcessPoolDependencies } from './process-pool.js';

/** Input of {@link poolActorLogic}. */
export interface PoolActorInput {
  readonly options: ProcessPoolOptions;
  readonly deps?: ProcessPoolDependencies;
  /** Told about each new pool (a restarted actor has a fresh one) and `undefined` on stop. */
  readonly onPool: (pool: ProcessPool | undefined) => void;
}

/**
 * The pool as an actor, so a supervisor owns it: stopping the actor stops every idle process;
 * restarting it starts an empty pool.
 */
export const poolActorLogic = fromCallback<{ type: string }, PoolActorInput>(({ input }) => {
  const pool = new ProcessPool(input.options, input.deps);
  input.onPool(pool);
  return () => {
    input.onPool(undefined);
    void pool.close();
  };
});
