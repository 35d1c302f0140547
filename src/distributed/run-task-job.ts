import type { QueryOptions } from '../machines/query/options/query-options.js';
import type { QueryResult } from '../machines/query/query-types.js';
import type { Runtime } from '../runtime/create-runtime.js';
import type { RuntimeQueryHandle } from '../runtime/runtime-query-types.js';
import type { DistributedJobData } from './job/distributed-job.js';

/** What {@link runTaskJob} needs. @internal */
export interface TaskJobRun {
  readonly runtime: Pick<Runtime, 'query'>;
  readonly data: DistributedJobData;
  /** A session to continue: the scheduler's (`data.resumeSession`) or a dead worker's. */
  readonly session: string | undefined;
  /** The session came from a dead worker: when it cannot be continued, run afresh. */
  readonly recovered: boolean;
  readonly continuationPrompt: string;
  readonly signal: AbortSignal;
  /** Called with the CLI's session id as soon as its `system/init` arrives. */
  readonly onSession: (sessionId: string) => void;
  /** Called with each query's handle (to cancel it on shutdown). */
  readonly onHandle?: (handle: RuntimeQueryHandle) => void;
}

/**
 * Runs a task-run job as a query on the worker's runtime: the job's prompt and options, or its
 * continuation prompt in the session to continue (`--resume`). A session recovered from a
 * dead worker that cannot be continued (its transcript is on another machine) is run afresh;
 * one the scheduler asked for is left to the scheduler, which does the same. Never rejects.
 *
 * @internal
 */
export async function runTaskJob(run: TaskJobRun): Promise<QueryResult> {
  const { data, session } = run;
  const tags = data.tags;
  const once = async (resume: string | undefined): Promise<QueryResult> => {
    const options = data.options as QueryOptions;
    const handle =
      resume === undefined
        ? run.runtime.query(data.prompt as never, options, {
            queryId: data.queryId,
            tags,
            signal: run.signal,
          })
        : run.runtime.query(
            data.continuationPrompt ?? run.continuationPrompt,
            { ...options, resume },
            { queryId: data.queryId, tags, signal: run.signal },
          );
    run.onHandle?.(handle);
    const sessions = handle.messages$.subscribe((message) => {
      if (message.type !== 'system' || message.subtype !== 'init') return;
      const id = (message as { session_id?: unknown }).session_id;
      if (typeof id === 'string') run.onSession(id);
    });
    try {
      return await handle.result;
    } finally {
      sessions.unsubscribe();
    }
  };
  const first = await once(session);
  if (session === undefined || !run.recovered) return first;
  if (first.status !== 'failed' || run.signal.aborted) return first;
  const again = await once(undefined);
  return {
    ...again,
    costUsd: again.costUsd + first.costUsd,
    attempts: again.attempts + first.attempts,
  };
}
