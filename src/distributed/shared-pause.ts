import type { Redis } from 'ioredis';
import { CancelledError } from '../core/errors/cancelled-error.js';
import { clampTimerMs } from '../core/validation/max-timer-ms.js';
import type { AdmissionKeys } from './redis-admission-keys.js';
import { ENSURE_LIMITER_SCRIPT, LIMITER_SCRIPT, PAUSE_SCRIPT } from './shared-pause-script.js';

/** A pause as published on the pause channel. */
export interface SharedPauseMessage {
  /** How long it lasts from when it was published, in ms. */
  readonly ms: number;
  /** What paused it (`HTTP 429`, `rate_limit_event (five_hour)`…), as the limiter said. */
  readonly reason: string;
  /** The id of the admission that published it. */
  readonly origin: string;
}

/** The shared pause in effect now, if any. */
export interface SharedPauseState {
  /** Ms left, 0 when none is on. */
  readonly remainingMs: number;
  readonly reason: string | undefined;
}

/** Options of {@link createSharedPause}. */
export interface SharedPauseOptions {
  /** A command connection (not one in subscriber mode); the caller closes it. */
  readonly redis: Redis;
  readonly keys: Pick<AdmissionKeys, 'pause' | 'bullLimiter' | 'bullMeta' | 'pauseChannel'>;
  /** Names the publisher in its messages, so that it can ignore its own. */
  readonly origin: string;
}

/** One rate-limit pause shared by every worker of a queue. */
export interface SharedPause {
  /**
   * Publishes a pause until `until` (epoch ms): stops BullMQ handing out the queue's jobs and
   * tells every subscriber. Returns `false` when a pause as long was already on.
   */
  publish(until: number, reason: string | undefined): Promise<boolean>;
  /** The pause on now (read from Redis, so a worker started during one sees it). */
  state(): Promise<SharedPauseState>;
  /**
   * Resolves once no shared pause is on (at once when none is).
   * @throws `CancelledError` when `signal` aborts first.
   */
  waitOver(signal?: AbortSignal): Promise<void>;
  /** Makes BullMQ honour the pause on a queue whose workers have no `limiter` of their own. */
  ensureLimiter(): Promise<void>;
  /** A message of the pause channel, or `undefined` when it is not one. */
  decode(message: string): SharedPauseMessage | undefined;
}

/**
 * A shared rate-limit pause on Redis: a key holding the reason, expiring when the pause ends
 * (a longer pause replaces a shorter one, never the reverse), BullMQ's limiter key set
 * alongside, and pub/sub so that attached workers apply it to their own rate limiters.
 *
 * @example
 * ```ts
 * const pause = createSharedPause({ redis, keys: admissionKeys('bull', 'tasks'), origin: id });
 * await pause.publish(Date.now() + 30_000, 'HTTP 429');
 * await pause.waitOver(signal); // in any worker: resolves 30 s later
 * ```
 */
export function createSharedPause(options: SharedPauseOptions): SharedPause {
  const { redis, keys, origin } = options;
  const state = async (): Promise<SharedPauseState> => {
    const [[, ttl], [, reason]] = (await redis.multi().pttl(keys.pause).get(keys.pause).exec()) as [
      [unknown, number],
      [unknown, string | null],
    ];
    return ttl > 0
      ? { remainingMs: ttl, reason: reason ?? undefined }
      : { remainingMs: 0, reason: undefined };
  };
  return {
    async publish(until, reason) {
      const ms = Math.ceil(until - Date.now());
      if (ms <= 0) return false;
      // The limiter first (it only grows): no job is fetched once the pause is published.
      await redis.eval(LIMITER_SCRIPT, 1, keys.bullLimiter, ms);
      const published = await redis.eval(
        PAUSE_SCRIPT,
        1,
        keys.pause,
        ms,
        reason ?? 'rate limited',
        keys.pauseChannel,
        origin,
      );
      return published === 1;
    },
    state,
    async waitOver(signal) {
      for (;;) {
        if (signal?.aborted) throw new CancelledError(signal.reason);
        const { remainingMs } = await state();
        if (remainingMs <= 0) return;
        // Capped: the loop reads the pause again when a capped wait ends early.
        await delay(clampTimerMs(remainingMs), signal);
      }
    },
    async ensureLimiter() {
      await redis.eval(ENSURE_LIMITER_SCRIPT, 1, keys.bullMeta);
    },
    decode(message) {
      try {
        const parsed = JSON.parse(message) as Partial<SharedPauseMessage>;
        // `1e400` parses as Infinity: a pause without end is no pause message.
        const { ms } = parsed;
        if (typeof ms !== 'number' || !Number.isFinite(ms)) return undefined;
        if (typeof parsed.origin !== 'string') return undefined;
        return { ms, reason: String(parsed.reason ?? ''), origin: parsed.origin };
      } catch {
        return undefined;
      }
    },
  };
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
