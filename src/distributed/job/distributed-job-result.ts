import { z } from 'zod';
import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import { redactSecrets } from '../../core/redaction/redact-secrets.js';
import type { QueryResult } from '../../machines/query/query-types.js';
import { RemoteTaskError } from '../errors/remote-task-error.js';

/** An error as it travels through Redis: no stack, no cause object, every string redacted. */
export const SerializedErrorSchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  message: z.string(),
  retryable: z.boolean(),
});

/** An error as it travels through Redis. */
export type SerializedError = z.output<typeof SerializedErrorSchema>;

const count = z.number().nonnegative();

/** The return value of a task-run job: the worker's query result, as JSON. */
export const DistributedJobResultSchema = z.strictObject({
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  text: z.string().optional(),
  structuredOutput: z.unknown().optional(),
  sessionId: z.string().optional(),
  costUsd: count,
  usage: z.strictObject({
    inputTokens: count,
    outputTokens: count,
    cacheReadInputTokens: count,
    cacheCreationInputTokens: count,
  }),
  numTurns: count,
  durationMs: count,
  attempts: count,
  error: SerializedErrorSchema.optional(),
  /** The worker that ran it (its name). */
  worker: z.string().optional(),
});

/** The return value of a task-run job. */
export type DistributedJobResult = z.output<typeof DistributedJobResultSchema>;

/**
 * An error as it can travel through Redis: its `code` (`UNKNOWN` without one), class name,
 * message and `retryable`, each string passed through `redactSecrets`.
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const { code, retryable } = error as { code?: unknown; retryable?: unknown };
    return {
      code: typeof code === 'string' ? code : 'UNKNOWN',
      name: redactSecrets(error.name),
      message: redactSecrets(error.message),
      retryable:
        error instanceof ClaudeActorsError
          ? error.retryable
          : typeof retryable === 'boolean' && retryable,
    };
  }
  return {
    code: 'UNKNOWN',
    name: 'Error',
    message: redactSecrets(String(error)),
    retryable: false,
  };
}

/** A worker's query result as the job's return value. */
export function toJobResult(result: QueryResult, worker?: string): DistributedJobResult {
  return {
    status: result.status,
    ...(result.text === undefined ? {} : { text: redactSecrets(result.text) }),
    ...(result.structuredOutput === undefined ? {} : { structuredOutput: result.structuredOutput }),
    ...(result.sessionId === undefined ? {} : { sessionId: result.sessionId }),
    costUsd: result.costUsd,
    usage: { ...result.usage },
    numTurns: result.numTurns,
    durationMs: result.durationMs,
    attempts: result.attempts,
    ...(result.error === undefined ? {} : { error: serializeError(result.error) }),
    ...(worker === undefined ? {} : { worker }),
  };
}

/**
 * A job's return value as the scheduler's query result; its error is a {@link RemoteTaskError}
 * keeping the worker's code.
 */
export function fromJobResult(
  result: DistributedJobResult,
  context: { jobId: string; queryId: string },
): QueryResult {
  const error = result.error && new RemoteTaskError(result.error, context);
  return {
    status: result.status,
    queryId: context.queryId,
    text: result.text,
    structuredOutput: result.structuredOutput,
    sessionId: result.sessionId,
    costUsd: result.costUsd,
    usage: result.usage,
    numTurns: result.numTurns,
    durationMs: result.durationMs,
    durationApiMs: undefined,
    attempts: result.attempts,
    error,
    attemptErrors: error ? [error] : [],
    raw: undefined,
  };
}
