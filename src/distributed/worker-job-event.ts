import type { QueryStatus } from '../machines/query/query-types.js';

/** What a worker did with a job, one event per change (`worker.events$`). */
export type WorkerJobEvent =
  | {
      readonly type: 'job.started';
      readonly jobId: string;
      readonly runId: string;
      readonly taskId: string;
      readonly attempt: number;
      /** The CLI session continued (`--resume`): a recovered or resumed job. */
      readonly resumedSession: string | undefined;
    }
  | {
      readonly type: 'job.ended';
      readonly jobId: string;
      readonly taskId: string;
      readonly status: QueryStatus;
      readonly durationMs: number;
      readonly costUsd: number;
      /** The error code of a failed or cancelled job. */
      readonly errorCode: string | undefined;
    }
  | {
      /** The worker shut down before the job ended: it went back to the queue. */
      readonly type: 'job.handed-back';
      readonly jobId: string;
      readonly taskId: string;
    }
  | {
      /** The job's data does not match the contract: it failed without running. */
      readonly type: 'job.invalid';
      readonly jobId: string;
      readonly message: string;
    };
