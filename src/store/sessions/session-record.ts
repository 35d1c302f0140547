/** What a recorded session is: one query (`runtime.query`) or one multi-turn session (`runtime.session`). */
export type SessionKind = 'query' | 'session';

/**
 * Where a recorded session is: `running` until it ends, then how it ended. A query ends
 * `succeeded`, `failed` or `cancelled`; a multi-turn session ends `closed` or `failed`.
 */
export type SessionRecordStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'closed';

/** Token counts of a recorded session, summed over its turns (as the CLI reports them). */
export interface SessionTokens {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheCreationInputTokens: number;
}

/**
 * One session as the session store keeps it: enough to find it again (tags, dates, cost, the
 * first prompt) and to continue it (`resume: id`).
 */
export interface SessionRecord {
  /** The CLI's session id (what `--resume` takes). */
  readonly id: string;
  readonly kind: SessionKind;
  /** The runtime's own id: the query id, or the session's key. */
  readonly key: string;
  /** The query's tags (`runtime.query(..., { tags })`); none for a multi-turn session. */
  readonly tags: readonly string[];
  /** The model the CLI reported in `system/init`, else the one asked for. */
  readonly model: string | undefined;
  /** The CLI's working directory, as `system/init` reported it. */
  readonly cwd: string | undefined;
  /** When it was first recorded, ms since the epoch. */
  readonly createdAt: number;
  /** When it was last written, ms since the epoch. */
  readonly updatedAt: number;
  /** Turns so far: the CLI's `num_turns` for a query, answered user turns for a session. */
  readonly turns: number;
  /** Cost so far, USD (every attempt of a query; every turn of a session). */
  readonly costUsd: number;
  readonly tokens: SessionTokens;
  readonly status: SessionRecordStatus;
  /**
   * The text of the first prompt, secrets redacted, cut to `FIRST_PROMPT_MAX_LENGTH`
   * characters (the store does both on every write).
   */
  readonly firstPrompt: string;
  /** The `code` of the error it failed with, when it failed (`API_ERROR`, `TIMEOUT`...). */
  readonly errorCode: string | undefined;
}

/** Tokens of nothing yet. */
export const NO_TOKENS: SessionTokens = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
});
