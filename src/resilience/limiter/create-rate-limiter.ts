import type { ActorLogic, ActorSystem, AnyActorScope, NonReducibleUnknown, Snapshot } from 'xstate';
import { clampTimerMs } from '../../core/validation/max-timer-ms.js';
import { parseResilienceOptions } from '../shared/parse-resilience-options.js';
import { RateLimiterCore } from './rate-limiter-core.js';
import { type RateLimiterOptions, RateLimiterOptionsSchema } from './rate-limiter-options.js';
import type {
  RateLimiterEmitted,
  RateLimiterEvent,
  RateLimiterPersistedState,
  RateLimiterStateView,
} from './rate-limiter-types.js';

const WAKE_ID = 'WAKE';

/**
 * A rate limiter's snapshot: `context` is what the inspector shows, as of the last event;
 * `core` is the working state (as a machine's snapshot holds its context), serialised by its
 * `toJSON` as the persisted state.
 */
export type RateLimiterSnapshot = Snapshot<undefined> & {
  readonly context: RateLimiterStateView;
  /** @internal The queue, permits and windows; read it through `rateLimiterClient`. */
  readonly core: RateLimiterCore;
};

/** A rate limiter's persisted snapshot: plain JSON, every time in absolute epoch ms. */
export interface RateLimiterPersistedSnapshot {
  readonly status: RateLimiterSnapshot['status'];
  readonly output: undefined;
  readonly error: unknown;
  readonly context: RateLimiterStateView;
  /** Buckets, the pause and the concurrency limit; not the queue, whose callers are gone. */
  readonly state: RateLimiterPersistedState;
}

/** The XState logic of a rate limiter. */
export type RateLimiterLogic = ActorLogic<
  RateLimiterSnapshot,
  RateLimiterEvent,
  NonReducibleUnknown,
  // biome-ignore lint/suspicious/noExplicitAny: XState's own AnyActorLogic uses ActorSystem<any>.
  ActorSystem<any>,
  RateLimiterEmitted
>;

function snapshotOf(
  core: RateLimiterCore,
  now: number,
  status: RateLimiterSnapshot['status'] = 'active',
): RateLimiterSnapshot {
  return {
    status,
    output: undefined,
    error: undefined,
    context: core.view(now),
    core,
  } as RateLimiterSnapshot;
}

/** Schedules (or cancels) the limiter's one timer so it matches `core.wakeAt`. */
function syncWake(core: RateLimiterCore, scope: AnyActorScope, now: number): void {
  if (core.wakeAt === core.scheduledWakeAt) return;
  const { scheduler } = scope.system;
  if (core.scheduledWakeAt !== undefined) scheduler.cancel(scope.self, WAKE_ID);
  if (core.wakeAt !== undefined) {
    const event: RateLimiterEvent = { type: 'WAKE' };
    // Capped: a pause until a reset weeks away wakes at the cap and is scheduled again.
    const delay = clampTimerMs(core.wakeAt - now);
    scheduler.schedule(scope.self, scope.self, event, delay, WAKE_ID);
  }
  core.scheduledWakeAt = core.wakeAt;
}

function emitAll(scope: AnyActorScope, events: readonly RateLimiterEmitted[]): void {
  // After the snapshot is updated, so a caller that reads `state()` on its reply sees it.
  if (events.length === 0) return;
  scope.defer(() => {
    for (const event of events) scope.emit(event);
  });
}

/**
 * Creates the logic of a rate limiter actor: token buckets per minute and per hour, a cap on
 * concurrent queries, an optional tokens-per-minute budget, and a fair queue (higher
 * `priority` first, first come first served within a priority) whose requests can be cancelled
 * while they wait. A rate-limit signal from Claude (429 + retry-after, a `rejected`
 * `rate_limit_event`, an `api_retry` for a rate limit) pauses admission for everyone until the
 * limit resets; the queue then resumes where it was, nothing dropped. Adaptive concurrency
 * (AIMD, see `adaptConcurrency`) is off unless `adaptive.enabled`.
 *
 * Every timer is one XState scheduler event (`WAKE`), so fake timers drive it. The
 * persisted snapshot keeps buckets, the pause and the concurrency limit in epoch ms: a
 * restarted runtime still knows the API is rate-limited.
 *
 * @param options - Limits; all optional (an absent limit does not apply).
 * @throws {@link InvalidOptionsError} naming the bad option and the value received.
 * @example
 * ```ts
 * const limiter = createActor(
 *   createRateLimiter({ perMinute: { limit: 50, burst: 10 }, maxConcurrent: 4 }),
 * ).start();
 * const client = rateLimiterClient(limiter);
 * const permit = await client.acquire({ requestId: 'q1' });
 * try { … } finally { client.release(permit.requestId); }
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiterLogic {
  const resolved = parseResilienceOptions(RateLimiterOptionsSchema, options, 'rate limiter option');
  return {
    config: resolved,
    getInitialSnapshot() {
      const now = Date.now();
      return snapshotOf(new RateLimiterCore(resolved, undefined, now), now);
    },
    start(_snapshot, scope) {
      // A restored limiter may be paused, or have a refill due: let it schedule its timer.
      scope.self.send({ type: 'WAKE' });
    },
    transition(snapshot, event, scope) {
      if (snapshot.status !== 'active') return snapshot;
      const { core } = snapshot;
      const now = Date.now();
      if ((event as { type: string }).type === 'xstate.stop') {
        emitAll(scope, core.rejectAll('the rate limiter stopped'));
        return snapshotOf(core, now, 'stopped');
      }
      const emitted = core.handle(event, now);
      syncWake(core, scope, now);
      emitAll(scope, emitted);
      return snapshotOf(core, now);
    },
    getPersistedSnapshot(snapshot) {
      const persisted: RateLimiterPersistedSnapshot = {
        status: snapshot.status,
        output: undefined,
        error: snapshot.error,
        context: snapshot.context,
        state: snapshot.core.toJSON(),
      };
      return persisted as unknown as Snapshot<unknown>;
    },
    restoreSnapshot(persisted) {
      const now = Date.now();
      const { state, status } = persisted as unknown as RateLimiterPersistedSnapshot;
      return snapshotOf(new RateLimiterCore(resolved, state, now), now, status);
    },
  };
}
