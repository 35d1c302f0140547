import { redactSecrets } from '../redaction/redact-secrets.js';

/** Codes of the errors the core raises; each domain declares its own (see `src/error-code.ts`). */
export type CoreErrorCode = 'INVALID_OPTIONS' | 'CANCELLED';

/** Context every error can carry; fields are absent when unknown. */
export interface ErrorContext {
  readonly queryId?: string | undefined;
  readonly attempt?: number | undefined;
  readonly pid?: number | undefined;
}

/**
 * Base of every error raised by claude-actors.
 *
 * Whether an error is worth retrying is decided once, where it is classified, and carried as
 * {@link ClaudeActorsError.retryable}; callers never parse messages.
 */
export abstract class ClaudeActorsError extends Error {
  /** Stable code, safe to switch on: one of `ErrorCode`, declared by the domain that raises it. */
  abstract readonly code: string;
  /** `true` when the same query may succeed if run again (overload, crash, idle hang). */
  readonly retryable: boolean;
  readonly queryId: string | undefined;
  readonly attempt: number | undefined;
  readonly pid: number | undefined;

  protected constructor(
    message: string,
    options: ErrorContext & { retryable: boolean; cause?: unknown },
  ) {
    super(
      redactSecrets(message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.retryable = options.retryable;
    this.queryId = options.queryId;
    this.attempt = options.attempt;
    this.pid = options.pid;
  }

  /**
   * How long to wait before a retry can succeed, when the error knows (a `retry-after`, the
   * time an open circuit lets a probe through); `undefined` when it does not.
   *
   * @param _now - the current time, epoch ms
   */
  retryAfterMs(_now: number): number | undefined {
    return undefined;
  }

  /**
   * A plain, secret-free object for logs and snapshots: every string in it (message, fields,
   * the cause's message) is passed through `redactSecrets`, so secrets registered after the
   * error was raised are scrubbed too.
   */
  toJSON(): Record<string, unknown> {
    const { stack: _stack, cause, ...fields } = Object.assign({}, this) as Record<string, unknown>;
    return scrubStrings({
      name: this.name,
      code: this.code,
      message: this.message,
      ...fields,
      ...(cause instanceof Error ? { cause: cause.message } : {}),
    }) as Record<string, unknown>;
  }
}

/** A copy of `value` with every string passed through `redactSecrets`; bounded depth. */
function scrubStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => scrubStrings(item, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, scrubStrings(item, depth + 1)]),
  );
}

/** Type guard for errors raised by this library. */
export function isClaudeActorsError(value: unknown): value is ClaudeActorsError {
  return value instanceof ClaudeActorsError;
}
