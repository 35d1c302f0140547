import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { LimiterSignal } from '../../machines/query/classify/to-limiter-signal.js';
import type { ConcurrencyState } from './adaptive-concurrency.js';
import type { TokenWindowState } from './token-window.js';
import type { WindowLimitState } from './window-limit.js';

/** Leave to run one query, granted by the rate limiter. Release it when the query ends. */
export interface Permit {
  /** The request it was granted to. */
  readonly requestId: string;
  /** When it was granted (epoch ms). */
  readonly grantedAt: number;
  /** How long the request waited in the queue, in ms. */
  readonly waitedMs: number;
}

/** Token counts reported when a permit is released. */
export interface PermitUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** What the rate limiter shows: its snapshot's `context`, and `rateLimiterClient(ref).state()`. */
export interface RateLimiterStateView {
  /** Requests waiting for a permit. */
  readonly queued: number;
  /** Permits granted and not yet released. */
  readonly inFlight: number;
  /** Admission is paused until then (epoch ms) after a rate-limit signal. */
  readonly pausedUntil: number | undefined;
  /** What paused it (`rate_limit_event (five_hour)`, `HTTP 429`, `api_retry 429`), if known. */
  readonly pauseReason: string | undefined;
  /** The longest pause requests wait out; a longer one fails them (`UsageLimitError`). */
  readonly parkHorizonMs: number;
  /** Queries allowed to run at once now (adaptive), `undefined` when unlimited. */
  readonly concurrencyLimit: number | undefined;
  /** Queries that may start now under each window limit; absent limits are absent. */
  readonly tokens: {
    readonly perMinute?: number;
    readonly perHour?: number;
    /** Tokens left in the tokens-per-minute budget (estimates of running queries deducted). */
    readonly tokensPerMinute?: number;
  };
}

/** Everything that survives a restart: plain JSON, times in absolute epoch ms. */
export interface RateLimiterPersistedState {
  readonly perMinute: WindowLimitState | undefined;
  readonly perHour: WindowLimitState | undefined;
  readonly tokensPerMinute: TokenWindowState | undefined;
  readonly pausedUntil: number | undefined;
  /** What paused it; absent in snapshots persisted before it was kept. */
  readonly pauseReason?: string | undefined;
  readonly concurrency: ConcurrencyState | undefined;
}

/** Events the rate limiter accepts (sent by `rateLimiterClient`). */
export type RateLimiterEvent =
  | {
      readonly type: 'ACQUIRE';
      readonly requestId: string;
      readonly priority?: number | undefined;
      readonly tokens?: number | undefined;
    }
  | {
      readonly type: 'RELEASE';
      readonly requestId: string;
      readonly usage?: PermitUsage | undefined;
    }
  /** Leave the queue; a permit already granted is released. */
  | { readonly type: 'CANCEL'; readonly requestId: string }
  | { readonly type: 'SIGNAL'; readonly signal: LimiterSignal }
  /**
   * A pause an earlier process recorded (a usage-limit reset): applied as a rate-limit signal
   * would be, without shrinking adaptive concurrency; one already over does nothing.
   */
  | {
      readonly type: 'RESTORE';
      readonly pausedUntil: number;
      readonly reason?: string | undefined;
    }
  /** @internal The limiter's own timer: a window refilled or a pause ended. */
  | { readonly type: 'WAKE' };

/** The answer to an `ACQUIRE`. */
export type RateLimiterReply =
  | { readonly type: 'limiter.reply'; readonly requestId: string; readonly permit: Permit }
  | {
      readonly type: 'limiter.reply';
      readonly requestId: string;
      readonly permit?: undefined;
      readonly error: ClaudeActorsError | TypeError;
    };

/** Events the rate limiter emits (`ref.on(type, ...)`). */
export type RateLimiterEmitted =
  | RateLimiterReply
  | {
      readonly type: 'limiter.paused';
      readonly until: number;
      readonly reason: string | undefined;
    }
  | { readonly type: 'limiter.resumed' }
  | { readonly type: 'limiter.concurrency_changed'; readonly limit: number };
