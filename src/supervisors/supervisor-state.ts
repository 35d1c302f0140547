import type { AnyActorRef } from 'xstate';
import type { Backoff } from '../core/backoff/backoff.js';
import type { ResetContext } from '../core/backoff/resetting-backoff.js';
import type { EventQueue } from './event-queue.js';
import type { NormalizedChildSpec } from './normalize-child-spec.js';
import type { NormalizedFlags } from './normalize-flags.js';
import type { ExitReason } from './types.js';

/** @internal One child as the supervisor tracks it. */
export interface ChildRecord {
  readonly id: string;
  readonly spec: NormalizedChildSpec;
  /** Extra start arguments (simple_one_for_one); not kept for temporary children (OTP). */
  readonly args: readonly unknown[];
  ref: AnyActorRef | undefined;
  status: 'running' | 'restarting' | 'terminated';
  /** Instances started so far; names the actor (`id`, then `id:2`, `id:3`...). */
  generation: number;
  startedAt: number;
  /** Where its restart backoff is: `undefined` until its first delayed restart. */
  backoff: Backoff<ResetContext> | undefined;
  restarts: number;
  /** Timer of a pending (delayed or retried) restart. */
  restartTimer: string | undefined;
  /** Why its last instance ended, while it waits to be restarted. */
  lastReason: ExitReason | undefined;
}

/** @internal What to do once a batch of terminations is over. */
export type Continuation =
  | {
      readonly kind: 'restart';
      readonly group: readonly ChildRecord[];
      readonly failed: ChildRecord;
    }
  | {
      readonly kind: 'retry_group';
      readonly group: readonly ChildRecord[];
      readonly failed: ChildRecord;
    }
  | { readonly kind: 'shutdown'; readonly cause: 'intensity' | 'auto_shutdown' | 'requested' }
  | { readonly kind: 'init_failed'; readonly childId: string; readonly error: unknown }
  | { readonly kind: 'reply'; readonly requestId: string; readonly child: ChildRecord };

/** @internal Children being terminated: batches in order, the children of a batch at once. */
export interface TerminationJob {
  readonly batches: EventQueue<ChildRecord[]>;
  /** Actor id → the child being terminated and its shutdown timer. */
  readonly inFlight: Map<string, { child: ChildRecord; timer: string | undefined }>;
  /** Shutdown timer → the actor id it guards. */
  readonly byTimer: Map<string, string>;
  /** Bystanders of a sibling's restart: temporary ones are deleted without counting. */
  readonly bystanders: boolean;
  /** The group `then` restarts, as a set: each termination asks whether it is in it. */
  readonly restarting: ReadonlySet<ChildRecord>;
  readonly then: Continuation;
}

/** @internal The mutable state behind a supervisor's snapshot. */
export interface SupervisorState {
  readonly flags: NormalizedFlags;
  /** The one spec of a simple_one_for_one supervisor. */
  readonly template: NormalizedChildSpec | undefined;
  /** Children by id, in start order (a Map keeps insertion order): O(1) lookups and removals. */
  readonly childById: Map<string, ChildRecord>;
  /** Children by the id of their current actor (simple_one_for_one's terminate by reference). */
  readonly byActorId: Map<string, ChildRecord>;
  /** The children in start order (a copy, built on demand). */
  readonly children: readonly ChildRecord[];
  /** Restart times (epoch ms) within the period, sorted; updated in place. */
  readonly restartTimes: number[];
  totalRestarts: number;
  phase: 'starting' | 'running' | 'shutting_down';
  job: TerminationJob | undefined;
  /** Events that arrived while a job ran; handled once it is over (OTP's mailbox order). */
  readonly deferred: EventQueue<{ type: string }>;
  /** Pending restart timer → the group it restarts. */
  readonly restartGroups: Map<string, readonly ChildRecord[]>;
  timerSeq: number;
  instanceSeq: number;
}
