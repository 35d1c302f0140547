import type { ActorSystem, AnyActorRef, InspectionEvent, Subscription } from 'xstate';
import type { z } from 'zod';
import type { Logger } from '../core/logging/create-logger.js';
import { redactSecrets } from '../core/redaction/redact-secrets.js';
import { describeIssue } from '../core/validation/invalid-options-error.js';
import { issuesOf } from '../core/validation/issues-of.js';
import { safeValidate } from '../core/validation/validate.js';
import type { BudgetContext, BudgetEvent } from '../resilience/budget/budget-types.js';
import type { BudgetSpending } from '../resilience/budget/spending.js';
import type {
  RateLimiterEvent,
  RateLimiterStateView,
} from '../resilience/limiter/rate-limiter-types.js';
import type { Store } from '../store/store.js';
import {
  type PersistedBudgetState,
  PersistedBudgetStateSchema,
  type PersistedLimiterState,
  PersistedLimiterStateSchema,
  systemStateKeys,
} from './persisted-system-state.js';
import { RUNTIME_SYSTEM_IDS } from './runtime-tree.js';
import type { SystemRefs } from './system-refs.js';

type Persisted = 'budget' | 'limiter';
type Pause = Pick<PersistedLimiterState, 'pausedUntil' | 'reason'>;
/** A pending write of one key: its newest value, or its removal. */
type Write = { readonly value: unknown } | { readonly remove: true };

const NAME_OF: ReadonlyMap<string, Persisted> = new Map([
  [RUNTIME_SYSTEM_IDS.budget, 'budget'],
  [RUNTIME_SYSTEM_IDS.limiter, 'limiter'],
]);

/** What {@link SystemStatePersistence} needs of its runtime. */
export interface SystemStatePersistenceOptions {
  readonly store: Store;
  /** The runtime's name: its keys are `budget:<name>` and `limiter:<name>`. */
  readonly name: string;
  readonly refs: SystemRefs;
  readonly logger?: Logger | undefined;
}

/**
 * @internal Keeps a runtime's budget spending and limiter pause in a {@link Store}. At start it
 * reads them back (validated: a bad value is logged and ignored; a pause already over is
 * dropped) and hands them to the live actors; {@link SystemStatePersistence.ready} settles
 * then, and admission waits for it, so nothing is sent before a recorded pause is known. After
 * that, every snapshot of the budget or the limiter that changes what is kept is written at
 * once (a spend; a pause's start or end): writes to one key go in order, and a write waiting
 * behind another is replaced by the newer value, which contains it, so no spend is lost. A
 * restarted budget or limiter actor (a crash) is handed the last state kept before any of
 * its snapshots is written, so a fresh actor never overwrites what was spent.
 */
export class SystemStatePersistence {
  readonly #options: SystemStatePersistenceOptions;
  readonly #keys: { readonly budget: string; readonly limiter: string };
  readonly #log: Logger | undefined;
  /** The state kept now, as last read or written. */
  #spending: BudgetSpending | undefined;
  #pause: Pause | undefined;
  /** The actor of each name that has been handed the kept state; others are not written. */
  readonly #adopted = new Map<Persisted, AnyActorRef>();
  #loaded = false;
  readonly #pending = new Map<string, Write>();
  #draining: Promise<void> | undefined;
  #subscription: Subscription | undefined;
  #ready: Promise<void> = Promise.resolve();

  constructor(options: SystemStatePersistenceOptions) {
    this.#options = options;
    this.#keys = systemStateKeys(options.name);
    this.#log = options.logger?.child({ component: 'runtime-state', store: options.store.kind });
  }

  /** Settles once the stored state is loaded into the actors (never rejects). */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** Watches the actors of `system` and starts loading the stored state. */
  start(system: Pick<ActorSystem<never>, 'inspect'>): void {
    this.#subscription = system.inspect((event) => this.#onInspect(event));
    this.#ready = this.#load();
  }

  /** Stops watching; resolves once every write is committed (or failed, and logged). */
  async stop(): Promise<void> {
    await this.#ready;
    this.#subscription?.unsubscribe();
    while (this.#draining) await this.#draining;
  }

  async #load(): Promise<void> {
    const [budget, pause] = await Promise.all([
      this.#read(this.#keys.budget, PersistedBudgetStateSchema),
      this.#read(this.#keys.limiter, PersistedLimiterStateSchema),
    ]);
    this.#spending = budget?.spending;
    if (pause && pause.pausedUntil <= Date.now()) {
      // The limit has reset since it was recorded: nothing to wait for.
      this.#log?.debug(
        { key: this.#keys.limiter, pausedUntil: pause.pausedUntil },
        'dropped a pause already over',
      );
      this.#enqueue(this.#keys.limiter, { remove: true });
    } else if (pause) {
      this.#pause = { pausedUntil: pause.pausedUntil, reason: pause.reason };
      this.#log?.info(
        { pausedUntil: new Date(pause.pausedUntil).toISOString(), reason: pause.reason },
        'restored a rate-limit pause',
      );
    }
    this.#loaded = true;
    for (const name of ['budget', 'limiter'] as const) {
      const ref = this.#options.refs.live(name);
      // The `restore` option's state, when the store had none, is written at its next change.
      if (ref) this.#adopt(name, ref, true);
    }
  }

  /** A stored value, validated; `undefined` (logged) when absent, unreadable or invalid. */
  async #read<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S> | undefined> {
    let value: unknown;
    try {
      value = await this.#options.store.state.get(key);
    } catch (error) {
      this.#log?.error({ key, err: error }, 'could not read the stored state; starting without it');
      return undefined;
    }
    if (value === undefined) return undefined;
    const parsed = safeValidate(schema, value);
    if (parsed.success) return parsed.data;
    const issues = issuesOf(parsed.error, value).map(describeIssue);
    this.#log?.warn({ key, issues }, 'ignored an invalid stored value');
    return undefined;
  }

  #onInspect(event: InspectionEvent): void {
    if (!this.#loaded) return;
    const ref = event.actorRef as AnyActorRef & { options?: { systemId?: string } };
    if (event.type === '@xstate.actor') {
      // A restarted actor, not started yet: what is kept reaches it before any other event,
      // so it neither admits against nothing spent nor overwrites the store with it.
      const name = NAME_OF.get(ref.options?.systemId ?? '');
      if (name) this.#adopt(name, ref, false);
      return;
    }
    if (event.type !== '@xstate.snapshot') return;
    const name = NAME_OF.get((ref as { systemId?: string }).systemId ?? '');
    if (!name) return;
    if (this.#adopted.get(name) !== ref) {
      this.#adopt(name, ref, false);
      return;
    }
    this.#persist(name, (event.snapshot as { context?: unknown }).context);
  }

  /** Hands the kept state to `ref` (on its first load it replaces the `restore` option's). */
  #adopt(name: Persisted, ref: AnyActorRef, first: boolean): void {
    this.#adopted.set(name, ref);
    if (name === 'budget' && this.#spending) {
      ref.send({ type: 'RESTORE', spending: this.#spending, replace: first } satisfies BudgetEvent);
    }
    if (name === 'limiter' && this.#pause) {
      const { pausedUntil, reason } = this.#pause;
      ref.send({ type: 'RESTORE', pausedUntil, reason } satisfies RateLimiterEvent);
    }
  }

  /** Writes what changed in an actor's context, if anything kept did. */
  #persist(name: Persisted, context: unknown): void {
    if (!context) return;
    if (name === 'budget') {
      const { spending } = context as BudgetContext;
      if (spending === this.#spending || !spending) return;
      const nothingYet = this.#spending === undefined && isNothing(spending);
      this.#spending = spending;
      // Nothing spent and nothing kept: no need to write zeros at every start.
      if (nothingYet) return;
      // Only what a limit checks is kept: every task-queue run adds a `run:<id>` tag, and the
      // stored value must not grow with every run.
      const perTag = (context as BudgetContext).limits?.perTag ?? {};
      const kept = {
        total: spending.total,
        byTag: Object.fromEntries(Object.entries(spending.byTag).filter(([tag]) => tag in perTag)),
      };
      const value: PersistedBudgetState = { version: 1, spending: kept, updatedAt: Date.now() };
      this.#enqueue(this.#keys.budget, { value });
      return;
    }
    const view = context as RateLimiterStateView;
    const pause =
      view.pausedUntil === undefined
        ? undefined
        : { pausedUntil: view.pausedUntil, reason: view.pauseReason };
    if (pause?.pausedUntil === this.#pause?.pausedUntil && pause?.reason === this.#pause?.reason)
      return;
    this.#pause = pause;
    if (!pause) {
      this.#enqueue(this.#keys.limiter, { remove: true });
      return;
    }
    // The reason is the CLI's text (a rate-limit type): scrubbed like anything that leaves.
    const reason = pause.reason === undefined ? undefined : redactSecrets(pause.reason);
    const value: PersistedLimiterState = { version: 1, ...pause, reason, updatedAt: Date.now() };
    this.#enqueue(this.#keys.limiter, { value });
  }

  #enqueue(key: string, write: Write): void {
    this.#pending.set(key, write);
    this.#draining ??= this.#drain();
  }

  async #drain(): Promise<void> {
    const { state } = this.#options.store;
    while (this.#pending.size > 0) {
      const [key, write] = this.#pending.entries().next().value as [string, Write];
      this.#pending.delete(key);
      try {
        if ('value' in write) await state.set(key, write.value);
        else await state.delete(key);
      } catch (error) {
        this.#log?.error({ key, err: error }, 'could not write the runtime state to the store');
      }
    }
    this.#draining = undefined;
  }
}

function isNothing(spending: BudgetSpending): boolean {
  return (
    spending.total.usd === 0 &&
    spending.total.tokens === 0 &&
    Object.keys(spending.byTag).length === 0
  );
}
