import type { AnyActorLogic, AnyActorRef } from 'xstate';
import type { RestartBackoffOptions } from '../core/backoff/restart-backoff.js';

/** When a child is restarted (OTP `restart`). */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** How a child is stopped (OTP `shutdown`): at once, politely within ms, or waiting forever. */
export type ShutdownSpec = 'brutal_kill' | 'infinity' | number;

/** OTP `type`. Supervisors default to `shutdown: 'infinity'`, workers to 5000 ms. */
export type ChildType = 'worker' | 'supervisor';

/** Restart strategies, named as in OTP. */
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one' | 'simple_one_for_one';

/** OTP `auto_shutdown`. */
export type AutoShutdown = 'never' | 'any_significant' | 'all_significant';

/**
 * Why a child ended, as OTP names it: `normal` (it finished), `shutdown` (it was asked to stop,
 * or a child supervisor shut down), `killed` (stopped without notice: brutal kill or shutdown
 * timeout), or abnormal (it failed; `error` is what it failed with).
 */
export type ExitReason = 'normal' | 'shutdown' | 'killed' | { readonly abnormal: unknown };

/** What a child's `start` returns: actor logic with its input, or `'ignore'` (OTP `ignore`). */
export type StartResult =
  | AnyActorLogic
  | {
      readonly logic: AnyActorLogic;
      readonly input?: unknown;
      /** A persisted snapshot to start from (`actor.getPersistedSnapshot()`). */
      readonly snapshot?: unknown;
      /**
       * Registers the actor under this XState `systemId`, so `actor.system.get(systemId)`
       * finds it (a restarted child registers its new actor under the same id).
       */
      readonly systemId?: string;
    }
  | 'ignore';

/** How a child actor ended, before it is mapped to an {@link ExitReason}. */
export type ChildEnd = (
  | { readonly status: 'done'; readonly output: unknown }
  | { readonly status: 'error'; readonly error: unknown }
) & {
  /**
   * The instance's last snapshot (a machine's final context, say), when the supervisor had
   * the instance: what a spec needs to continue in the next instance (see `queryChildSpec`).
   */
  readonly snapshot?: unknown;
};

/**
 * A child specification (OTP `child_spec()`).
 *
 * `start` is called for every (re)start; it may throw, which is a start failure. For
 * `simple_one_for_one`, the extra arguments given to `startChild(args)` are passed to it.
 */
export interface ChildSpec {
  readonly id: string;
  readonly start: (...args: readonly unknown[]) => StartResult;
  /** @defaultValue 'permanent' */
  readonly restart?: RestartType;
  /** @defaultValue 5000 for workers, 'infinity' for supervisors */
  readonly shutdown?: ShutdownSpec;
  /** @defaultValue 'worker' */
  readonly type?: ChildType;
  /** @defaultValue false */
  readonly significant?: boolean;
  /**
   * Maps how the actor ended to an exit reason. Default: `done` is `normal` (or `shutdown` when
   * its output is `{ exitReason: 'shutdown' }`, as a supervisor that shut down reports),
   * `error` is abnormal.
   */
  readonly exitReason?: (end: ChildEnd, args: readonly unknown[]) => ExitReason;
}

/** Supervisor flags (OTP `sup_flags()`), plus restart backoff. */
export interface SupervisorFlags {
  /** @defaultValue 'one_for_one' */
  readonly strategy?: Strategy;
  /** Restarts allowed within `period`. @defaultValue 1 */
  readonly intensity?: number;
  /** Seconds. @defaultValue 5 */
  readonly period?: number;
  /** @defaultValue 'never' */
  readonly autoShutdown?: AutoShutdown;
  /** Delay restarts instead of restarting at once. */
  readonly backoff?: RestartBackoffOptions;
  /** Randomness for backoff. @defaultValue Math.random */
  readonly random?: () => number;
}

/** How a child shows in `whichChildren()`: its actor, `'restarting'`, or none (terminated). */
export type ChildRefView = AnyActorRef | 'restarting' | undefined;

/** One row of `whichChildren()` (OTP `which_children/1`). */
export interface ChildInfo {
  readonly id: string;
  readonly child: ChildRefView;
  readonly type: ChildType;
}

/** `countChildren()` (OTP `count_children/1`); children `restarting` are not active. */
export interface ChildCounts {
  readonly specs: number;
  readonly active: number;
  readonly supervisors: number;
  readonly workers: number;
}

/** Why a dynamic call did not do what it was asked. */
export type DynamicError =
  | { readonly kind: 'already_present'; readonly id: string }
  | { readonly kind: 'already_started'; readonly id: string; readonly child: AnyActorRef }
  | { readonly kind: 'not_found'; readonly id: string }
  | { readonly kind: 'running'; readonly id: string }
  | { readonly kind: 'restarting'; readonly id: string }
  | { readonly kind: 'simple_one_for_one'; readonly id: string }
  | { readonly kind: 'start_failed'; readonly id: string; readonly error: unknown }
  /** The supervisor ended before it could answer (OTP `noproc`). */
  | { readonly kind: 'noproc' };

/** The answer of a dynamic call: `{ ok: true, ... }` or `{ ok: false, error }`. Never throws. */
export type SupervisorResult<T = undefined> =
  | ({ readonly ok: true } & ([T] extends [undefined] ? unknown : { readonly value: T }))
  | { readonly ok: false; readonly error: DynamicError };

/** Events a supervisor emits (`actor.on(type, …)`), for runtimes and observers. */
export type SupervisorEvent =
  | { readonly type: 'child.started'; readonly id: string; readonly child: AnyActorRef }
  | {
      readonly type: 'child.exited';
      readonly id: string;
      readonly reason: ExitReason;
      /** Whether the supervisor will restart it. */
      readonly restart: boolean;
    }
  | { readonly type: 'child.restarting'; readonly id: string; readonly delayMs: number }
  | { readonly type: 'child.start_failed'; readonly id: string; readonly error: unknown }
  | {
      /** A shutdown began: children are about to be terminated (in reverse order). */
      readonly type: 'supervisor.stopping';
      readonly cause: 'intensity' | 'auto_shutdown' | 'requested';
    }
  | {
      /** The shutdown is done: every child has ended. */
      readonly type: 'supervisor.shutdown';
      /** `intensity`: gave up; `auto_shutdown`: a significant child ended; `requested`. */
      readonly cause: 'intensity' | 'auto_shutdown' | 'requested';
    };
