import type { QueryOptions } from '../../machines/query/options/query-options.js';
import type { QueryPrompt } from '../../machines/query/query-types.js';
import type { RuntimeQueryHandle } from '../../runtime/runtime-query-types.js';

/** One run of a task, as the scheduler hands it to a {@link TaskQueueBackend}. */
export interface BackendTaskRun {
  readonly runId: string;
  readonly taskId: string;
  /** Which run of the task this is (1 for the first, counted over resumes of the run). */
  readonly attempt: number;
  readonly queryId: string;
  readonly tags: readonly string[];
  /** Continue this CLI session (`--resume`) with `continuationPrompt` instead of the prompt. */
  readonly resumeSession?: string | undefined;
  readonly continuationPrompt?: string | undefined;
}

/** What the scheduler uses of a query it started through a backend. */
export type BackendQueryHandle = Pick<
  RuntimeQueryHandle,
  'queryId' | 'messages$' | 'result' | 'cancel'
>;

/**
 * Where the task queue runs its queries instead of its runtime, e.g. `bullmqBackend` (workers
 * on other machines through Redis). The scheduler keeps the DAG and the journal; the backend
 * only runs one query per call. Its `messages$` must emit the `system/init` message (with
 * `session_id`) so the journal records the session; its `result` must settle, never reject.
 */
export interface TaskQueueBackend {
  query(prompt: QueryPrompt, options: QueryOptions, run: BackendTaskRun): BackendQueryHandle;
}
