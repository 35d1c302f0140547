import { describe, expect, it } from 'vitest';
import { RemoteTaskError } from '../../../src/distributed/errors/remote-task-error.js';
import { DistributedJobDataSchema } from '../../../src/distributed/job/distributed-job.js';
import {
  DistributedJobResultSchema,
  fromJobResult,
  serializeError,
  toJobResult,
} from '../../../src/distributed/job/distributed-job-result.js';
import { RateLimitedError } from '../../../src/machines/query/errors/rate-limited-error.js';
import type { QueryResult } from '../../../src/machines/query/query-types.js';

const base: QueryResult = {
  status: 'succeeded',
  queryId: 'q1',
  text: 'done',
  structuredOutput: { a: 1 },
  sessionId: 's-1',
  costUsd: 0.25,
  usage: { inputTokens: 3, outputTokens: 4, cacheReadInputTokens: 0, cacheCreationInputTokens: 1 },
  numTurns: 2,
  durationMs: 1200,
  durationApiMs: 900,
  attempts: 1,
  error: undefined,
  attemptErrors: [],
  raw: undefined,
};

describe('the job result', () => {
  it('round-trips a query result through JSON', () => {
    const json = JSON.parse(JSON.stringify(toJobResult(base, 'w1')));
    const parsed = DistributedJobResultSchema.parse(json);
    const back = fromJobResult(parsed, { jobId: 'r.t.1', queryId: 'r:t:1' });
    expect(back).toMatchObject({
      status: 'succeeded',
      queryId: 'r:t:1',
      text: 'done',
      structuredOutput: { a: 1 },
      sessionId: 's-1',
      costUsd: 0.25,
      numTurns: 2,
      attempts: 1,
      error: undefined,
    });
    expect(parsed.worker).toBe('w1');
  });

  it('keeps the code and retryable of a failure, redacted, as a RemoteTaskError', () => {
    const error = new Error('boom with sk-ant-abcdefgh12345 inside');
    Object.assign(error, { code: 'RATE_LIMITED', retryable: true });
    const serialized = serializeError(error);
    expect(serialized).toEqual({
      code: 'RATE_LIMITED',
      name: 'Error',
      message: 'boom with [redacted] inside',
      retryable: true,
    });
    const back = fromJobResult(
      DistributedJobResultSchema.parse(
        toJobResult({ ...base, status: 'failed', error: error as never }),
      ),
      { jobId: 'r.t.1', queryId: 'q' },
    );
    expect(back.error).toBeInstanceOf(RemoteTaskError);
    expect(back.error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, jobId: 'r.t.1' });
    expect(back.error!.message).not.toContain('sk-ant');
  });

  it('gives an error that had no code JOB_FAILED, keeping what the worker sent', () => {
    const back = fromJobResult(
      DistributedJobResultSchema.parse(
        toJobResult({ ...base, status: 'failed', error: new Error('plain') as never }),
      ),
      { jobId: 'r.t.1', queryId: 'q' },
    );
    expect(back.error).toMatchObject({
      code: 'JOB_FAILED',
      remoteCode: 'UNKNOWN',
      message: 'plain',
    });
  });

  it('serializes a library error with its own code', () => {
    const serialized = serializeError(new RateLimitedError({ resetsAt: 0 }));
    expect(serialized.code).toBe('RATE_LIMITED');
    expect(serialized).toMatchObject({ name: 'RateLimitedError', retryable: true });
  });

  it('refuses job data naming the field and what was expected', () => {
    const parsed = DistributedJobDataSchema.safeParse({
      v: 1,
      runId: 'a:b',
      taskId: 't',
      attempt: 0,
      queryId: 'q',
      prompt: '',
      options: {},
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'runId',
      'attempt',
      'prompt',
    ]);
  });
});
