import {
  type ActorRefFrom,
  assign,
  enqueueActions,
  fromCallback,
  type SnapshotFrom,
  setup,
} from 'xstate';
import { type Backoff, delayAt } from '../../core/backoff/backoff.js';
import { constantBackoff } from '../../core/backoff/constant-backoff.js';
import { exponentialBackoff } from '../../core/backoff/exponential-backoff.js';
import { clampTimerMs, MAX_TIMER_MS } from '../../core/validation/max-timer-ms.js';
import { CircuitOpenError } from '../errors/circuit-open-error.js';
import { parseResilienceOptions } from '../shared/parse-resilience-options.js';
import type { BreakerPolicy } from './breaker-policy.js';
import type { BreakerState } from './breaker-state.js';
import {
  type CircuitBreakerOptions,
  CircuitBreakerOptionsSchema,
  type ResolvedCircuitBreakerOptions,
} from './circuit-breaker-options.js';
import type {
  BreakerContext,
  CircuitBreakerEmitted,
  CircuitBreakerEvent,
} from './circuit-breaker-types.js';
import { ConsecutiveFailuresPolicy } from './consecutive-failures-policy.js';
import { countsAsApiFailure } from './counts-as-api-failure.js';
import { FailureRatioPolicy } from './failure-ratio-policy.js';

type Resolved = ResolvedCircuitBreakerOptions;

function policyOf(options: Resolved['policy']): BreakerPolicy {
  return options.kind === 'consecutive'
    ? (new ConsecutiveFailuresPolicy(options.threshold) as BreakerPolicy)
    : (new FailureRatioPolicy(options) as BreakerPolicy);
}

/** How long the breaker stays open, by openings in a row (cockatiel's `halfOpenAfter`). */
function resetTimeoutOf(options: Resolved['resetTimeout']): Backoff {
  if (typeof options === 'number') return constantBackoff(options);
  return options.kind === 'fixed' ? constantBackoff(options.ms) : exponentialBackoff(options);
}

/** The view of a breaker machine's state and context (`context.view`). @internal */
export function toBreakerState(
  value: 'closed' | 'open' | 'half_open',
  context: Omit<BreakerContext, 'view'>,
  policy: BreakerPolicy,
  probesRequired: number,
  now: number,
): BreakerState {
  switch (value) {
    case 'closed':
      return {
        state: 'closed',
        since: context.since,
        policy: policy.describe(context.policyState, now),
      };
    case 'open':
      return {
        state: 'open',
        since: context.since,
        retryAt: context.retryAt ?? context.since,
        openings: context.openings,
        waiting: context.waiters.length,
      };
    case 'half_open':
      return {
        state: 'half_open',
        since: context.since,
        probesInFlight: context.probes.length,
        probesSucceeded: context.probesSucceeded,
        probesRequired,
        openings: context.openings,
        waiting: context.waiters.length,
      };
  }
}

function breakerMachine(options: Resolved) {
  const policy = policyOf(options.policy);
  const resetTimeout = resetTimeoutOf(options.resetTimeout);
  const isApiFailure = options.isApiFailure ?? countsAsApiFailure;
  const probesRequired = options.halfOpenProbes;
  const without = (list: readonly string[], id: string) => list.filter((item) => item !== id);

  return setup({
    types: {
      context: {} as BreakerContext,
      events: {} as CircuitBreakerEvent,
      emitted: {} as CircuitBreakerEmitted,
    },
    actors: {
      // A callback, not an `after` delay: invoked actors are restarted when a persisted
      // snapshot is restored, delayed events are not. `retryAt` is absolute, so a breaker
      // restored in a new process still goes half-open on time.
      resetTimer: fromCallback<CircuitBreakerEvent, { retryAt: number }>(({ sendBack, input }) => {
        // Chained: a `retryAt` beyond the longest timer (a restored snapshot's) waits again.
        let timer: ReturnType<typeof setTimeout>;
        const arm = (): void => {
          const left = input.retryAt - Date.now();
          timer =
            left > MAX_TIMER_MS
              ? setTimeout(arm, MAX_TIMER_MS)
              : setTimeout(() => sendBack({ type: 'RESET_TIMEOUT' }), clampTimerMs(left));
        };
        arm();
        return () => clearTimeout(timer);
      }),
    },
    guards: {
      waits: ({ event }) => event.type === 'ALLOW' && event.waitForHalfOpen === true,
      opensOnFailure: ({ context, event }) => {
        if (event.type !== 'RECORD' || event.outcome.ok) return false;
        if (!isApiFailure(event.outcome.error)) return false;
        const now = Date.now();
        return policy.shouldOpen(policy.onFailure(context.policyState, now), now);
      },
      isProbe: ({ context, event }) =>
        'requestId' in event && context.probes.includes(event.requestId),
      probeFailedOnApi: ({ context, event }) =>
        event.type === 'RECORD' &&
        context.probes.includes(event.requestId) &&
        !event.outcome.ok &&
        isApiFailure(event.outcome.error),
      probesComplete: ({ context, event }) =>
        event.type === 'RECORD' &&
        context.probes.includes(event.requestId) &&
        event.outcome.ok &&
        context.probesSucceeded + 1 >= probesRequired,
      hasProbeSlot: ({ context }) =>
        context.probes.length + context.probesSucceeded < probesRequired,
    },
    actions: {
      grant: enqueueActions(({ event, enqueue }) => {
        if (event.type === 'ALLOW') {
          enqueue.emit({ type: 'breaker.reply', requestId: event.requestId });
        }
      }),
      refuse: enqueueActions(
        ({ context, event, enqueue }, params: { state: 'open' | 'half_open' }) => {
          if (event.type !== 'ALLOW') return;
          const retryAt = params.state === 'open' ? context.retryAt : undefined;
          enqueue.emit({
            type: 'breaker.reply',
            requestId: event.requestId,
            error: new CircuitOpenError(
              { breakerState: params.state, retryAt },
              { queryId: event.requestId },
            ),
          });
        },
      ),
      wait: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'ALLOW') return;
        enqueue.assign({ waiters: [...context.waiters, event.requestId] });
      }),
      stopWaiting: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'CANCEL') return;
        enqueue.assign({ waiters: without(context.waiters, event.requestId) });
      }),
      countOutcome: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'RECORD') return;
        const now = Date.now();
        const { outcome } = event;
        if (outcome.ok) {
          enqueue.assign({ policyState: policy.onSuccess(context.policyState, now) });
        } else if (isApiFailure(outcome.error)) {
          enqueue.assign({ policyState: policy.onFailure(context.policyState, now) });
        }
        // Other failures are neutral: the API was not at fault.
      }),
      close: enqueueActions(({ context, enqueue }) => {
        const now = Date.now();
        for (const requestId of context.waiters) {
          enqueue.emit({ type: 'breaker.reply', requestId });
        }
        enqueue.assign({
          since: now,
          retryAt: undefined,
          openings: 0,
          policyState: policy.initialState(now),
          probes: [],
          probesSucceeded: 0,
          waiters: [],
        });
      }),
      open: enqueueActions(({ context, enqueue }) => {
        const now = Date.now();
        const openings = context.openings + 1;
        enqueue.assign({
          since: now,
          openings,
          retryAt: now + delayAt(resetTimeout, openings, undefined),
          probes: [],
          probesSucceeded: 0,
        });
      }),
      halfOpen: enqueueActions(({ context, enqueue }) => {
        const admitted = context.waiters.slice(0, probesRequired);
        for (const requestId of admitted) enqueue.emit({ type: 'breaker.reply', requestId });
        enqueue.assign({
          since: Date.now(),
          probes: admitted,
          probesSucceeded: 0,
          waiters: context.waiters.slice(admitted.length),
        });
      }),
      probeSucceeded: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'RECORD') return;
        enqueue.assign({
          probes: without(context.probes, event.requestId),
          probesSucceeded: context.probesSucceeded + 1,
        });
      }),
      /** A probe that says nothing about the API (cancelled, bad prompt) frees its slot. */
      freeProbe: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'RECORD' && event.type !== 'CANCEL') return;
        const probes = without(context.probes, event.requestId);
        const next = context.waiters[0];
        if (next !== undefined) enqueue.emit({ type: 'breaker.reply', requestId: next });
        enqueue.assign({
          probes: next === undefined ? probes : [...probes, next],
          waiters: next === undefined ? context.waiters : context.waiters.slice(1),
        });
      }),
      announce: enqueueActions(({ context, enqueue }, params: { state: BreakerState['state'] }) => {
        // Transition actions ran before this entry action: the context is the new state's.
        const view = toBreakerState(params.state, context, policy, probesRequired, Date.now());
        enqueue.assign({ view });
        enqueue.emit({ type: 'breaker.state_changed', state: view });
      }),
      /** After a change within a state: the view readers see is kept up to date. */
      refreshView: assign({
        view: ({ context }, params: { state: BreakerState['state'] }) =>
          toBreakerState(params.state, context, policy, probesRequired, Date.now()),
      }),
    },
  }).createMachine({
    id: 'circuitBreaker',
    context: () => {
      const now = Date.now();
      const context = {
        policyState: policy.initialState(now),
        since: now,
        retryAt: undefined,
        openings: 0,
        probes: [],
        probesSucceeded: 0,
        waiters: [],
      };
      return { ...context, view: toBreakerState('closed', context, policy, probesRequired, now) };
    },
    initial: 'closed',
    states: {
      closed: {
        entry: { type: 'announce', params: { state: 'closed' } },
        on: {
          ALLOW: { actions: 'grant' },
          RECORD: [
            { guard: 'opensOnFailure', target: 'open', actions: ['countOutcome', 'open'] },
            { actions: ['countOutcome', { type: 'refreshView', params: { state: 'closed' } }] },
          ],
        },
      },
      open: {
        entry: { type: 'announce', params: { state: 'open' } },
        invoke: { src: 'resetTimer', input: ({ context }) => ({ retryAt: context.retryAt ?? 0 }) },
        on: {
          ALLOW: [
            {
              guard: 'waits',
              actions: ['wait', { type: 'refreshView', params: { state: 'open' } }],
            },
            { actions: { type: 'refuse', params: { state: 'open' } } },
          ],
          CANCEL: {
            actions: ['stopWaiting', { type: 'refreshView', params: { state: 'open' } }],
          },
          RESET_TIMEOUT: { target: 'half_open', actions: 'halfOpen' },
        },
      },
      half_open: {
        entry: { type: 'announce', params: { state: 'half_open' } },
        on: {
          ALLOW: [
            {
              guard: 'hasProbeSlot',
              actions: [
                'grant',
                enqueueActions(({ context, event, enqueue }) => {
                  if (event.type !== 'ALLOW') return;
                  enqueue.assign({ probes: [...context.probes, event.requestId] });
                }),
                { type: 'refreshView', params: { state: 'half_open' } },
              ],
            },
            {
              guard: 'waits',
              actions: ['wait', { type: 'refreshView', params: { state: 'half_open' } }],
            },
            { actions: { type: 'refuse', params: { state: 'half_open' } } },
          ],
          RECORD: [
            { guard: 'probeFailedOnApi', target: 'open', actions: 'open' },
            { guard: 'probesComplete', target: 'closed', actions: 'close' },
            {
              guard: 'isProbe',
              actions: [
                enqueueActions(({ event, enqueue }) => {
                  if (event.type !== 'RECORD') return;
                  enqueue(event.outcome.ok ? 'probeSucceeded' : 'freeProbe');
                }),
                { type: 'refreshView', params: { state: 'half_open' } },
              ],
            },
          ],
          CANCEL: [
            {
              guard: 'isProbe',
              actions: ['freeProbe', { type: 'refreshView', params: { state: 'half_open' } }],
            },
            { actions: ['stopWaiting', { type: 'refreshView', params: { state: 'half_open' } }] },
          ],
        },
      },
    },
  });
}

/** The XState machine of a circuit breaker. */
export type CircuitBreakerLogic = ReturnType<typeof breakerMachine>;

/** A running circuit breaker actor. */
export type CircuitBreakerRef = ActorRefFrom<CircuitBreakerLogic>;

/** A circuit breaker's snapshot. */
export type CircuitBreakerSnapshot = SnapshotFrom<CircuitBreakerLogic>;

/**
 * Creates the logic of a circuit breaker actor: `closed` → `open` when the policy says so
 * (consecutive API failures, or a failure ratio over a window with a minimum number of calls),
 * `open` → `half_open` after the reset timeout (fixed or growing with each opening in a row),
 * `half_open` → `closed` once `halfOpenProbes` probe queries succeed, or back to `open` on the
 * first probe that fails on the API side. Only API-side failures count
 * ({@link countsAsApiFailure}): a bad prompt or invalid options never open it.
 *
 * While open, `ALLOW` is refused with `CircuitOpenError` (with `retryAt`), or waits for
 * half-open when the caller asks. Every state change is emitted as `breaker.state_changed`.
 *
 * The persisted snapshot is plain JSON with epoch-ms times; waiting callers and probes in
 * flight are left out (they belong to the old process), so a restored half-open breaker
 * probes afresh. `provide(...)` on the returned logic yields a machine without that filter.
 *
 * @param options - Policy, reset timeout and probe count.
 * @throws {@link InvalidOptionsError} naming the bad option and the value received.
 * @example
 * ```ts
 * const breaker = createActor(
 *   createCircuitBreaker({ policy: { kind: 'consecutive', threshold: 3 }, resetTimeout: 10_000 }),
 * ).start();
 * await circuitBreakerClient(breaker).allow({ requestId: 'q1' });
 * ```
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreakerLogic {
  const resolved = parseResilienceOptions(
    CircuitBreakerOptionsSchema,
    options,
    'circuit breaker option',
  );
  const machine = breakerMachine(resolved);
  const policy = policyOf(resolved.policy);
  // Delegates to the machine through the prototype; only persistence is changed.
  const logic = Object.create(machine) as CircuitBreakerLogic;
  logic.getPersistedSnapshot = (snapshot, persistOptions) => {
    const persisted = machine.getPersistedSnapshot(snapshot, persistOptions) as unknown as {
      value: BreakerState['state'];
      context: BreakerContext;
    };
    const { view: _view, ...rest } = persisted.context;
    const context = { ...rest, probes: [], waiters: [] };
    const view = toBreakerState(
      persisted.value,
      context,
      policy,
      resolved.halfOpenProbes,
      Date.now(),
    );
    return { ...persisted, context: { ...context, view } } as never;
  };
  logic.restoreSnapshot = (persisted, scope) => {
    const { value, context } = persisted as unknown as {
      value: BreakerState['state'];
      context: BreakerContext;
    };
    // A snapshot persisted before the view was part of the context gets one.
    if (context.view !== undefined) return machine.restoreSnapshot(persisted, scope);
    const view = toBreakerState(value, context, policy, resolved.halfOpenProbes, Date.now());
    return machine.restoreSnapshot(
      { ...persisted, context: { ...context, view } } as unknown as typeof persisted,
      scope,
    );
  };
  return logic;
}
