import { CancelledError } from '../../core/errors/cancelled-error.js';
import type { LimiterSignal } from '../../machines/query/classify/to-limiter-signal.js';
import { UsageLimitError } from '../../machines/query/errors/usage-limit-error.js';
import { RateLimitQueueFullError } from '../errors/rate-limit-queue-full-error.js';
import {
  type AdaptiveConcurrencyConfig,
  adaptConcurrency,
  type ConcurrencyState,
} from './adaptive-concurrency.js';
import type { ResolvedRateLimiterOptions } from './rate-limiter-options.js';
import type {
  RateLimiterEmitted,
  RateLimiterEvent,
  RateLimiterPersistedState,
  RateLimiterStateView,
} from './rate-limiter-types.js';
import { RequestQueue } from './request-queue.js';
import { recordTokens, type TokenWindowState, tokensUsed, tokenWaitMs } from './token-window.js';
import {
  initialWindowState,
  takeFromWindow,
  type WindowLimitConfig,
  type WindowLimitState,
  windowTokensLeft,
  windowWaitMs,
} from './window-limit.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

interface Window {
  readonly config: WindowLimitConfig;
  readonly state: WindowLimitState;
}

function windowOf(
  options: { limit: number; burst?: number | undefined } | undefined,
  windowMs: number,
  persisted: WindowLimitState | undefined,
  now: number,
): Window | undefined {
  if (!options) return undefined;
  const config = { limit: options.limit, burst: options.burst ?? options.limit, windowMs };
  const state = persisted
    ? { ...persisted, log: [...persisted.log], tokens: Math.min(persisted.tokens, config.burst) }
    : initialWindowState(config, now);
  return { config, state };
}

/**
 * The rate limiter's working state and rules, free of XState: the actor logic feeds it events
 * and the time, and emits what it returns. Mutable on purpose: a queue of 10,000 must not be
 * copied on every event.
 * @internal
 */
export class RateLimiterCore {
  /** Waiting requests. */
  readonly queue = new RequestQueue();
  /** Granted permits: requestId → reserved token estimate. */
  readonly inFlight = new Map<string, number>();
  /** When the next refill or the end of a pause may admit someone (epoch ms). */
  wakeAt: number | undefined;
  /** The wake the actor has scheduled, so it is not scheduled twice. */
  scheduledWakeAt: number | undefined;

  readonly #options: ResolvedRateLimiterOptions;
  readonly #minute: Window | undefined;
  readonly #hour: Window | undefined;
  readonly #tokens: TokenWindowState | undefined;
  readonly #adaptive: AdaptiveConcurrencyConfig | undefined;
  readonly #concurrency: ConcurrencyState | undefined;
  #pausedUntil: number | undefined;
  #pauseReason: string | undefined;
  #reservedTokens = 0;

  constructor(
    options: ResolvedRateLimiterOptions,
    persisted: RateLimiterPersistedState | undefined,
    now: number,
  ) {
    this.#options = options;
    this.#minute = windowOf(options.perMinute, MINUTE_MS, persisted?.perMinute, now);
    this.#hour = windowOf(options.perHour, HOUR_MS, persisted?.perHour, now);
    const tokens = persisted?.tokensPerMinute;
    this.#tokens = options.tokensPerMinute
      ? { entries: tokens ? tokens.entries.map(([a, b]) => [a, b]) : [], used: tokens?.used ?? 0 }
      : undefined;
    this.#pausedUntil = persisted?.pausedUntil;
    this.#pauseReason = persisted?.pauseReason;
    const adaptive = options.adaptive;
    if (adaptive?.enabled && options.maxConcurrent !== undefined) {
      this.#adaptive = {
        ...adaptive,
        increaseAfter: adaptive.increaseAfter,
        max: options.maxConcurrent,
      };
      const limit = persisted?.concurrency?.limit ?? options.maxConcurrent;
      this.#concurrency = {
        limit: Math.min(options.maxConcurrent, Math.max(adaptive.min, limit)),
        successes: persisted?.concurrency?.successes ?? 0,
        lastDecreaseAt: persisted?.concurrency?.lastDecreaseAt,
      };
    }
  }

  /** Queries allowed to run at once now. */
  get concurrencyLimit(): number {
    return this.#concurrency?.limit ?? this.#options.maxConcurrent ?? Number.POSITIVE_INFINITY;
  }

  /** Applies one event at time `now`; returns what to emit, in order. */
  handle(event: RateLimiterEvent, now: number): RateLimiterEmitted[] {
    const out: RateLimiterEmitted[] = [];
    switch (event.type) {
      case 'ACQUIRE':
        this.#acquire(event, now, out);
        return out;
      case 'RELEASE': {
        const usage = event.usage;
        this.#release(event.requestId, usage ? usage.inputTokens + usage.outputTokens : 0, now);
        break;
      }
      case 'CANCEL':
        if (!this.queue.remove(event.requestId)) this.#release(event.requestId, 0, now);
        break;
      case 'SIGNAL':
        this.#signal(event.signal, now, out);
        break;
      case 'RESTORE':
        // A pause recorded by an earlier process: the same as Claude saying so again now.
        this.#pause(event.pausedUntil, event.reason, now, out);
        break;
      case 'WAKE':
        this.scheduledWakeAt = undefined;
        break;
    }
    this.#pump(now, out);
    return out;
  }

  /** Every waiting request, removed, each with the error to reject it with. */
  rejectAll(reason: string): RateLimiterEmitted[] {
    return this.queue.drain().map((request) => ({
      type: 'limiter.reply',
      requestId: request.requestId,
      error: new CancelledError(reason, { queryId: request.requestId }),
    }));
  }

  /** What the limiter looks like at `now`. */
  view(now: number): RateLimiterStateView {
    const tokens: { perMinute?: number; perHour?: number; tokensPerMinute?: number } = {};
    if (this.#minute)
      tokens.perMinute = windowTokensLeft(this.#minute.state, this.#minute.config, now);
    if (this.#hour) tokens.perHour = windowTokensLeft(this.#hour.state, this.#hour.config, now);
    const tpm = this.#options.tokensPerMinute;
    if (this.#tokens && tpm) {
      const used = tokensUsed(this.#tokens, now) + this.#reservedTokens;
      tokens.tokensPerMinute = Math.max(0, tpm.limit - used);
    }
    const limit = this.concurrencyLimit;
    const paused = this.#pausedUntil !== undefined && this.#pausedUntil > now;
    return {
      queued: this.queue.size,
      inFlight: this.inFlight.size,
      pausedUntil: paused ? this.#pausedUntil : undefined,
      pauseReason: paused ? this.#pauseReason : undefined,
      parkHorizonMs: this.#options.parkHorizonMs,
      concurrencyLimit: Number.isFinite(limit) ? limit : undefined,
      tokens,
    };
  }

  /** The state that survives a restart. Waiting and running queries do not: they die with it. */
  toJSON(): RateLimiterPersistedState {
    const copy = (w: Window | undefined) => (w ? { ...w.state, log: [...w.state.log] } : undefined);
    return {
      perMinute: copy(this.#minute),
      perHour: copy(this.#hour),
      tokensPerMinute: this.#tokens
        ? { entries: this.#tokens.entries.map(([a, b]) => [a, b]), used: this.#tokens.used }
        : undefined,
      pausedUntil: this.#pausedUntil,
      pauseReason: this.#pauseReason,
      concurrency: this.#concurrency ? { ...this.#concurrency } : undefined,
    };
  }

  #acquire(
    event: Extract<RateLimiterEvent, { type: 'ACQUIRE' }>,
    now: number,
    out: RateLimiterEmitted[],
  ): void {
    const { requestId } = event;
    if (this.queue.has(requestId) || this.inFlight.has(requestId)) {
      out.push({
        type: 'limiter.reply',
        requestId,
        error: new TypeError(`requestId \`${requestId}\` is already queued or holds a permit`),
      });
      return;
    }
    const beyond = this.#beyondHorizon(now, requestId);
    if (beyond) {
      out.push({ type: 'limiter.reply', requestId, error: beyond });
      return;
    }
    const tokens = event.tokens ?? this.#options.tokensPerMinute?.defaultEstimate ?? 0;
    this.queue.push({ requestId, priority: event.priority ?? 0, tokens, queuedAt: now });
    this.#pump(now, out);
    const max = this.#options.maxQueued;
    if (max !== undefined && this.queue.size > max && this.queue.remove(requestId)) {
      out.push({ type: 'limiter.reply', requestId, error: new RateLimitQueueFullError(max) });
    }
  }

  #release(requestId: string, usedTokens: number, now: number): void {
    const reserved = this.inFlight.get(requestId);
    if (reserved === undefined) return;
    this.inFlight.delete(requestId);
    this.#reservedTokens -= reserved;
    if (this.#tokens) recordTokens(this.#tokens, usedTokens, now);
  }

  #signal(signal: LimiterSignal, now: number, out: RateLimiterEmitted[]): void {
    if (signal.kind === 'rate_limited') {
      const until = signal.resetsAt ?? now + (signal.retryAfterMs ?? this.#options.defaultPauseMs);
      this.#pause(until, signal.reason, now, out);
    }
    if (!this.#concurrency || !this.#adaptive) return;
    const input = signal.kind === 'success' ? 'success' : 'pressure';
    const changed = adaptConcurrency(this.#concurrency, this.#adaptive, input, now);
    if (changed !== undefined) out.push({ type: 'limiter.concurrency_changed', limit: changed });
  }

  /**
   * Pauses admission until `until` (kept when a later pause is already on). A pause beyond
   * the park horizon fails the waiting requests with `UsageLimitError`: nobody waits for it.
   */
  #pause(end: number, reason: string | undefined, now: number, out: RateLimiterEmitted[]): void {
    // A NaN or infinite end (a hostile header or message) would resume at once or never.
    const until = Number.isFinite(end) ? end : now + this.#options.defaultPauseMs;
    if (until <= now || until <= (this.#pausedUntil ?? 0)) return;
    this.#pausedUntil = until;
    this.#pauseReason = reason;
    out.push({ type: 'limiter.paused', until, reason });
    if (until - now <= this.#options.parkHorizonMs) return;
    for (const request of this.queue.drain()) {
      const error = this.#beyondHorizon(now, request.requestId);
      if (error) out.push({ type: 'limiter.reply', requestId: request.requestId, error });
    }
  }

  /** The error of a request made while the limiter is paused beyond the park horizon. */
  #beyondHorizon(now: number, requestId: string): UsageLimitError | undefined {
    const until = this.#pausedUntil;
    const horizonMs = this.#options.parkHorizonMs;
    if (until === undefined || until - now <= horizonMs) return undefined;
    return new UsageLimitError(
      { resetsAt: until, horizonMs, reason: this.#pauseReason },
      { queryId: requestId },
    );
  }

  /** Admits waiting requests while every limit allows, and sets {@link wakeAt}. */
  #pump(now: number, out: RateLimiterEmitted[]): void {
    this.wakeAt = undefined;
    if (this.#pausedUntil !== undefined) {
      if (now < this.#pausedUntil) {
        this.wakeAt = this.#pausedUntil;
        return;
      }
      this.#pausedUntil = undefined;
      this.#pauseReason = undefined;
      out.push({ type: 'limiter.resumed' });
    }
    const limit = this.concurrencyLimit;
    const minute = this.#minute;
    const hour = this.#hour;
    const tpm = this.#options.tokensPerMinute;
    for (;;) {
      if (this.inFlight.size >= limit) return;
      const head = this.queue.peek();
      if (!head) return;
      let wait = 0;
      if (minute) wait = Math.max(wait, windowWaitMs(minute.state, minute.config, now));
      if (hour) wait = Math.max(wait, windowWaitMs(hour.state, hour.config, now));
      if (this.#tokens && tpm) {
        const tokenWait = tokenWaitMs(
          this.#tokens,
          tpm.limit,
          this.#reservedTokens,
          head.tokens,
          now,
        );
        // undefined: only a release makes room; a timer for the other limits still helps none.
        if (tokenWait === undefined) return;
        wait = Math.max(wait, tokenWait);
      }
      if (wait > 0) {
        this.wakeAt = now + wait;
        return;
      }
      this.queue.shift();
      if (minute) takeFromWindow(minute.state, minute.config, now);
      if (hour) takeFromWindow(hour.state, hour.config, now);
      this.inFlight.set(head.requestId, head.tokens);
      this.#reservedTokens += head.tokens;
      out.push({
        type: 'limiter.reply',
        requestId: head.requestId,
        permit: { requestId: head.requestId, grantedAt: now, waitedMs: now - head.queuedAt },
      });
    }
  }
}
