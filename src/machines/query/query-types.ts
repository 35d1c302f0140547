import type { CliProcessEvent, CliProcessInput } from '../../actors/cli-process-types.js';
import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { CliMessage, ResultMessage } from '../../protocol/cli-message.js';
import type { ContentBlock } from '../../protocol/content-block.js';
import type { ProtocolErrorEvent } from '../../protocol/protocol-event.js';
import type { ExitFacts } from './classify/classify-exit.js';
import type { ResolvedQueryOptions } from './options/query-options.js';

/** What a query asks: plain text, or content blocks (text, images...). */
export type QueryPrompt = string | readonly ContentBlock[];

/**
 * Input of the process actor, one per attempt (see `queryProcessInput`): the CLI-process
 * actor's input, and which attempt it is (for stand-ins in tests).
 */
export interface ProcessInput extends CliProcessInput {
  readonly queryId: string;
  readonly attempt: number;
}

/** Input of the admission actor, before every attempt. */
export interface AdmissionInput {
  readonly queryId: string;
  readonly attempt: number;
  readonly options: ResolvedQueryOptions;
}

/** How an admitted attempt ended, for whoever admitted it. */
export interface AttemptReport {
  readonly queryId: string;
  readonly attempt: number;
  /** `aborted`: cancelled or timed out before it could end by itself. */
  readonly outcome:
    | { readonly ok: true }
    | { readonly ok: false; readonly error: ClaudeActorsError }
    | { readonly ok: 'aborted' };
  readonly result: ResultMessage | undefined;
}

/**
 * Events the process actor sends to the query machine: those of `fromCliProcess`, with exit
 * facts any stand-in can give.
 */
export type ProcessEvent =
  | Exclude<CliProcessEvent, { readonly type: 'claude.exited' }>
  | { readonly type: 'claude.exited'; readonly exit: ExitFacts };

/** Events a caller may send to a query actor. */
export type QueryControlEvent =
  | { readonly type: 'CANCEL'; readonly reason?: unknown }
  /** A supervisor's polite stop: finish the current attempt, start no other. */
  | { readonly type: '@supervisor.shutdown' };

/** Every event the query machine accepts (`CONTROL_ANSWERED` it raises itself). */
export type QueryMachineEvent =
  | ProcessEvent
  | QueryControlEvent
  | { readonly type: 'CONTROL_ANSWERED' };

/** Lifecycle and stream events a query actor emits (`actor.on(type, ...)`). */
export type QueryEvent =
  | { readonly type: 'query.spawned'; readonly attempt: number; readonly pid: number | undefined }
  | { readonly type: 'query.message'; readonly attempt: number; readonly message: CliMessage }
  | {
      readonly type: 'query.protocol_error';
      readonly attempt: number;
      readonly error: ProtocolErrorEvent;
    }
  | {
      readonly type: 'query.retrying';
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: ClaudeActorsError;
      /** The query waits for a rate limit to reset (the attempt is not counted). */
      readonly parked: boolean;
    }
  | { readonly type: 'query.exited'; readonly attempt: number; readonly exit: ExitFacts }
  /**
   * A callback (`canUseTool`, a hook, an in-process MCP tool...) threw or hung; the CLI got the
   * safe default (a denial, a tool error) and the attempt went on.
   */
  | {
      readonly type: 'query.callback_failed';
      readonly attempt: number;
      readonly error: ClaudeActorsError;
    };

/** How a query ended. */
export type QueryStatus = 'succeeded' | 'failed' | 'cancelled';

/** Token counts of a query, as the CLI reports them. */
export interface QueryUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheCreationInputTokens: number;
}

/**
 * The outcome of a query: always produced, whether it succeeded, failed or was cancelled.
 * A failed query carries its {@link QueryResult.error}; nothing is thrown.
 */
export interface QueryResult<T = unknown> {
  readonly status: QueryStatus;
  readonly queryId: string;
  /** The final text (`result` of the CLI's result message). */
  readonly text: string | undefined;
  /**
   * Structured output, when a JSON schema was given; with an `outputSchema`, the value that
   * schema parsed (typed).
   */
  readonly structuredOutput: T | undefined;
  readonly sessionId: string | undefined;
  /** Cost in USD over every attempt. */
  readonly costUsd: number;
  readonly usage: QueryUsage;
  readonly numTurns: number;
  /** Wall time from start to end, retries and backoff included. */
  readonly durationMs: number;
  /** API time the CLI reported for the final attempt. */
  readonly durationApiMs: number | undefined;
  readonly attempts: number;
  /** Why the query failed or was cancelled. */
  readonly error: ClaudeActorsError | undefined;
  /** The error of every failed attempt, in order. */
  readonly attemptErrors: readonly ClaudeActorsError[];
  /** The CLI's final result message, unmodified. */
  readonly raw: ResultMessage | undefined;
}
