export { type PoolActorInput, poolActorLogic } from './pool-actor.js';
export { poolKey } from './pool-key.js';
export {
  type ProcessPoolOptions,
  ProcessPoolOptionsSchema,
  parseProcessPoolOptions,
  type ResolvedProcessPoolOptions,
} from './pool-options.js';
export { isReleasable, type ReleasableProcess, type ReleaseInfo } from './pooled-process.js';
export {
  ProcessPool,
  type ProcessPoolDependencies,
  type ProcessPoolStats,
} from './process-pool.js';
