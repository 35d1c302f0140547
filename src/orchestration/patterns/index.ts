export { type BatchedOptions, type BatchedResult, batched } from './batched.js';
export { withContext } from './context-block.js';
export { type FallbackResult, fallback } from './fallback.js';
export { type Completed, type ParallelOptions, type ParallelResult, parallel } from './parallel.js';
export type { PatternEvent, PatternRun, PatternTask, QueryRunner } from './pattern-types.js';
export {
  type PipelineOptions,
  type PipelineResult,
  type PipelineStep,
  pipeline,
} from './pipeline.js';
export { notRunResult } from './task-runner.js';
export {
  type RetriedResult,
  type RetryAttempt,
  type WithRetryOptions,
  withRetry,
} from './with-retry.js';
