import { type AnyActorLogic, type AnyActorRef, type AnyActorScope, createActor } from 'xstate';
import { InvalidChildSpecError } from './errors/invalid-child-spec-error.js';
import { SupervisorStartError } from './errors/supervisor-start-error.js';
import { EventQueue } from './event-queue.js';
import { normalizeChildSpec } from './normalize-child-spec.js';
import { recordRestart } from './restart-intensity.js';
import { SHUTDOWN_EVENT } from './shutdown-event.js';
import { STRATEGIES } from './strategies/strategies.js';
import type { SupervisorCall } from './supervisor-call.js';
import type {
  ChildRecord,
  Continuation,
  SupervisorState,
  TerminationJob,
} from './supervisor-state.js';
import { supervisorViewOf } from './supervisor-view.js';
import type {
  ChildEnd,
  ChildSpec,
  DynamicError,
  ExitReason,
  StartResult,
  SupervisorEvent,
} from './types.js';

/** A reply of any dynamic call. */
type AnyResult =
  | { readonly ok: true; readonly value?: unknown }
  | { readonly ok: false; readonly error: DynamicError };

const DONE_PREFIX = 'xstate.done.actor.';
const ERROR_PREFIX = 'xstate.error.actor.';

/**
 * @internal Internal events a supervisor sends itself or receives from its client. Not
 * UPPER_CASE like other commands: a supervisor also receives whatever its children send it, so
 * its own events keep the `@supervisor.` namespace (a child's `INIT` must not start them all).
 */
export type SupervisorInternalEvent =
  | { readonly type: '@supervisor.init' }
  | { readonly type: '@supervisor.call'; readonly requestId: string; readonly call: SupervisorCall }
  | {
      readonly type: '@supervisor.timer';
      readonly timer: string;
      readonly kind: 'restart' | 'shutdown_timeout';
      readonly failedId?: string;
    };

/** @internal How a supervisor finished, once it has. */
export type SupervisorOutcome =
  | { readonly status: 'done'; readonly output: SupervisorOutput }
  | { readonly status: 'error'; readonly error: unknown };

/** What a supervisor's actor outputs when it shuts down. */
export interface SupervisorOutput {
  readonly exitReason: 'shutdown';
  readonly cause: 'intensity' | 'auto_shutdown' | 'requested';
}

function isRestart(reason: ExitReason, restart: ChildRecord['spec']['restart']): boolean {
  if (restart === 'permanent') return true;
  if (restart === 'temporary') return false;
  return reason !== 'normal' && reason !== 'shutdown';
}

/**
 * One pass of a supervisor over one event: OTP's supervisor loop, with XState's actors as
 * processes. Terminations are asynchronous (a child that traps exits gets time to stop), so
 * they run as a job; events that arrive meanwhile wait in `deferred`, as they would in an OTP
 * supervisor's mailbox while it is busy.
 *
 * @internal
 */
export class SupervisorRun {
  outcome: SupervisorOutcome | undefined;
  readonly #state: SupervisorState;
  readonly #scope: AnyActorScope;
  readonly #byActorId: Map<string, ChildRecord>;
  /** XState's listeners of this supervisor's emitted events (internal; `undefined` if absent). */
  readonly #listeners: ReadonlyMap<string, unknown> | undefined;
  #replies: { type: 'supervisor.reply'; requestId: string; result: AnyResult }[] = [];
  /** Reset per event: replies a dropped flush left behind go out with the next ones. */
  #repliesScheduled = false;

  constructor(state: SupervisorState, scope: AnyActorScope) {
    this.#state = state;
    this.#scope = scope;
    this.#byActorId = state.byActorId;
    const listeners = (scope.self as { eventListeners?: unknown }).eventListeners;
    this.#listeners = listeners instanceof Map ? listeners : undefined;
  }

  /** Handles an event, then whatever was deferred while a job ran. */
  dispatch(event: { type: string }): void {
    this.outcome = undefined;
    this.#repliesScheduled = false;
    this.#handle(event);
    const state = this.#state;
    while (!state.job && !this.outcome && state.deferred.length > 0) {
      this.#handle(state.deferred.shift()!);
    }
  }

  /** Abrupt stop (the supervisor's own actor was stopped): children stopped in reverse order. */
  stopAll(): void {
    for (const child of [...this.#state.childById.values()].reverse()) {
      if (child.ref) this.#scope.stopChild(child.ref);
      child.ref = undefined;
      child.status = 'terminated';
    }
  }

  #handle(event: { type: string }): void {
    const job = this.#state.job;
    if (job && !this.#belongsTo(job, event)) {
      this.#state.deferred.push(event);
      return;
    }
    const type = event.type;
    if (type === '@supervisor.init') this.#init();
    else if (type === SHUTDOWN_EVENT) this.#shutdown('requested');
    else if (type === '@supervisor.call') this.#call(event as never);
    else if (type === '@supervisor.timer') this.#timer(event as never);
    else if (type.startsWith(DONE_PREFIX)) {
      this.#exit(type.slice(DONE_PREFIX.length), {
        status: 'done',
        output: (event as { output?: unknown }).output,
      });
    } else if (type.startsWith(ERROR_PREFIX)) {
      this.#exit(type.slice(ERROR_PREFIX.length), {
        status: 'error',
        error: (event as { error?: unknown }).error,
      });
    }
  }

  #belongsTo(job: TerminationJob, event: { type: string }): boolean {
    const { type } = event;
    if (type === '@supervisor.timer') {
      const { timer, kind } = event as unknown as { timer: string; kind: string };
      return kind === 'shutdown_timeout' && job.byTimer.has(timer);
    }
    const actorId = type.startsWith(DONE_PREFIX)
      ? type.slice(DONE_PREFIX.length)
      : type.startsWith(ERROR_PREFIX)
        ? type.slice(ERROR_PREFIX.length)
        : undefined;
    return actorId !== undefined && job.inFlight.has(actorId);
  }

  // ── start ──────────────────────────────────────────────────────────────────────────────

  #init(): void {
    const started: ChildRecord[] = [];
    for (const child of [...this.#state.childById.values()]) {
      try {
        if (this.#startInstance(child) === 'ignore') this.#ignored(child);
        else started.push(child);
      } catch (error) {
        this.#emit({ type: 'child.start_failed', id: child.id, error });
        this.#remove(child);
        this.#beginJob(
          started.reverse().map((c) => [c]),
          false,
          { kind: 'init_failed', childId: child.id, error },
        );
        return;
      }
    }
    this.#state.phase = 'running';
  }

  /** Starts one instance of a child (with `args`, default its own); throws when `start` does. */
  #startInstance(child: ChildRecord, args = child.args): AnyActorRef | 'ignore' {
    const result = child.spec.start(...args);
    if (result === 'ignore') return 'ignore';
    const { logic, input, snapshot, systemId }: Extract<StartResult, { logic: unknown }> =
      'logic' in result && !('transition' in result)
        ? (result as Extract<StartResult, { logic: unknown }>)
        : { logic: result as AnyActorLogic };
    const previous = actorIdOf(child);
    if (previous !== undefined && this.#byActorId.get(previous) === child) {
      this.#byActorId.delete(previous);
    }
    child.generation += 1;
    const actorId = actorIdOf(child)!;
    const ref = createActor(logic, {
      parent: this.#scope.self,
      id: actorId,
      input,
      ...(snapshot === undefined ? {} : { snapshot }),
      ...(systemId === undefined ? {} : { systemId }),
    } as Parameters<typeof createActor>[1]);
    child.ref = ref;
    child.status = 'running';
    child.startedAt = Date.now();
    child.restartTimer = undefined;
    this.#byActorId.set(actorId, child);
    // Announced before it starts, so a listener can follow every event of the new child.
    this.#emit({ type: 'child.started', id: child.id, child: ref });
    ref.start();
    return ref;
  }

  /** A start that returned `ignore`: kept without an actor, except temporary ones. */
  #ignored(child: ChildRecord): void {
    child.ref = undefined;
    child.status = 'terminated';
    if (child.spec.restart === 'temporary' || this.#state.template) this.#remove(child);
  }

  // ── exits and restarts ───────────────────────────────────────────────────────────────────

  #exit(actorId: string, ended: ChildEnd): void {
    const job = this.#state.job;
    const inFlight = job?.inFlight.get(actorId);
    const ref = (inFlight?.child ?? this.#byActorId.get(actorId))?.ref;
    const end: ChildEnd = ref?.id === actorId ? { ...ended, snapshot: ref.getSnapshot() } : ended;
    if (job && inFlight) {
      job.inFlight.delete(actorId);
      if (inFlight.timer) {
        job.byTimer.delete(inFlight.timer);
        this.#cancelTimer(inFlight.timer);
      }
      const reason = inFlight.child.spec.exitReason(end, inFlight.child.args);
      // Stopping because it was asked to is a shutdown, not a normal end.
      this.#terminated(inFlight.child, reason === 'normal' ? 'shutdown' : reason, job);
      this.#advanceJob();
      return;
    }
    const child = this.#byActorId.get(actorId);
    // A stale event from an instance that was already replaced or terminated.
    if (!child || child.ref?.id !== actorId) return;
    child.ref = undefined;
    const reason = child.spec.exitReason(end, child.args);
    const restart = this.#state.phase === 'running' && isRestart(reason, child.spec.restart);
    // A child to be restarted stays findable by its last actor (OTP `{restarting, Pid}`), so a
    // simple_one_for_one child can be terminated by reference while it is restarting.
    if (!restart) this.#byActorId.delete(actorId);
    this.#emit({ type: 'child.exited', id: child.id, reason, restart });
    child.lastReason = reason;
    if (!restart) {
      if (child.spec.restart === 'temporary' || this.#state.template) this.#remove(child);
      else child.status = 'terminated';
      this.#checkAutoShutdown(child);
      return;
    }
    const plan = STRATEGIES[this.#state.flags.strategy](this.#state.childById, child);
    child.status = 'restarting';
    if (plan.terminate.length > 0) {
      this.#beginJob(
        plan.terminate.map((c) => [c]),
        true,
        { kind: 'restart', group: plan.restart, failed: child },
      );
    } else {
      this.#scheduleOrRestart(plan.restart, child, false);
    }
  }

  #checkAutoShutdown(child: ChildRecord): void {
    const mode = this.#state.flags.autoShutdown;
    if (!child.spec.significant || mode === 'never') return;
    const left = [...this.#state.childById.values()].some(
      (c) => c !== child && c.spec.significant && c.status !== 'terminated',
    );
    if (mode === 'any_significant' || !left) this.#shutdown('auto_shutdown');
  }

  /** Restarts a group at once, or after the backoff delay (and always after a failed start). */
  #scheduleOrRestart(group: readonly ChildRecord[], failed: ChildRecord, retry: boolean): void {
    const backoff = failed.backoff ?? this.#state.flags.backoff;
    let delayMs = 0;
    if (backoff) {
      const step = backoff.next({ ranMs: Date.now() - failed.startedAt });
      delayMs = step.delayMs;
      failed.backoff = step.next;
    }
    if (delayMs === 0 && !retry) {
      this.#performRestart(group, failed);
      return;
    }
    // A retried start is scheduled, not looped on: other events (terminate_child, shutdown)
    // get their turn in between, as in OTP.
    const timer = this.#newTimer();
    // Only the child that failed is `restarting` (OTP); the rest of its group waits with no
    // actor, and is restarted with it when the timer fires.
    for (const child of group) {
      if (child.restartTimer) this.#cancelTimer(child.restartTimer);
      child.restartTimer = undefined;
      if (child !== failed && child.status !== 'running') child.status = 'terminated';
    }
    failed.status = 'restarting';
    failed.restartTimer = timer;
    this.#state.restartGroups.set(timer, group);
    this.#schedule(
      { type: '@supervisor.timer', timer, kind: 'restart', failedId: failed.id },
      delayMs,
      timer,
    );
    this.#emit({ type: 'child.restarting', id: failed.id, delayMs });
  }

  #performRestart(group: readonly ChildRecord[], failed: ChildRecord): void {
    const { flags } = this.#state;
    const times = this.#state.restartTimes;
    if (recordRestart(times, Date.now(), flags.intensity, flags.periodMs)) {
      this.#shutdown('intensity');
      return;
    }
    this.#state.totalRestarts += 1;
    failed.restarts += 1;
    const started: ChildRecord[] = [];
    for (const child of group) {
      if (this.#state.childById.get(child.id) !== child || child.ref) continue;
      try {
        if (this.#startInstance(child) === 'ignore') this.#ignored(child);
        else started.push(child);
      } catch (error) {
        this.#emit({ type: 'child.start_failed', id: child.id, error });
        // OTP retries the strategy for the child that failed to start: rest_for_one keeps the
        // children restarted before it, one_for_all stops them and restarts everyone again.
        const retry = STRATEGIES[this.#state.flags.strategy](this.#state.childById, child);
        for (const member of group) {
          if (member.status !== 'running') member.status = 'terminated';
        }
        child.status = 'restarting';
        if (retry.terminate.length > 0) {
          this.#beginJob(
            retry.terminate.map((c) => [c]),
            true,
            { kind: 'retry_group', group: retry.restart, failed: child },
          );
        } else {
          this.#scheduleOrRestart(retry.restart, child, true);
        }
        return;
      }
    }
  }

  #timer(event: { timer: string; kind: 'restart' | 'shutdown_timeout'; failedId?: string }): void {
    if (event.kind === 'shutdown_timeout') {
      const job = this.#state.job;
      if (!job) return;
      const actorId = job.byTimer.get(event.timer);
      const flight = actorId === undefined ? undefined : job.inFlight.get(actorId);
      if (actorId === undefined || !flight) return;
      job.byTimer.delete(event.timer);
      job.inFlight.delete(actorId);
      if (flight.child.ref) this.#scope.stopChild(flight.child.ref);
      this.#terminated(flight.child, 'killed', job);
      this.#advanceJob();
      return;
    }
    const pending = this.#state.restartGroups.get(event.timer) ?? [];
    this.#state.restartGroups.delete(event.timer);
    const failed = this.#state.childById.get(event.failedId ?? '');
    if (!failed || failed.restartTimer !== event.timer || this.#state.phase !== 'running') return;
    failed.restartTimer = undefined;
    const group = pending.filter((c) => this.#state.childById.get(c.id) === c && !c.ref);
    this.#performRestart(group, failed);
  }

  // ── terminations ─────────────────────────────────────────────────────────────────────────

  #beginJob(batches: ChildRecord[][], bystanders: boolean, then: Continuation): void {
    this.#state.job = {
      batches: new EventQueue(batches.filter((b) => b.length > 0)),
      inFlight: new Map(),
      byTimer: new Map(),
      bystanders,
      restarting:
        then.kind === 'restart' || then.kind === 'retry_group' ? new Set(then.group) : NO_CHILDREN,
      then,
    };
    this.#advanceJob();
  }

  #advanceJob(): void {
    let job = this.#state.job;
    while (job && job.inFlight.size === 0) {
      const batch = job.batches.shift();
      if (!batch) {
        this.#state.job = undefined;
        this.#continue(job.then);
        return;
      }
      for (const child of batch) this.#terminateOne(child, job);
      job = this.#state.job;
    }
  }

  #terminateOne(child: ChildRecord, job: TerminationJob): void {
    const ref = child.ref;
    if (child.restartTimer) {
      this.#cancelTimer(child.restartTimer);
      child.restartTimer = undefined;
    }
    if (!ref) {
      this.#terminated(child, undefined, job);
      return;
    }
    // One read of the snapshot serves every check below (each is the child's first touch of a
    // cold actor when 100,000 of them are stopped).
    const snapshot = ref.getSnapshot() as ChildSnapshot;
    if (snapshot.status !== 'active') {
      // It already ended by itself: it keeps its own reason; its exit event is now stale.
      const end: ChildEnd =
        snapshot.status === 'error'
          ? { status: 'error', error: snapshot.error, snapshot }
          : { status: 'done', output: snapshot.output, snapshot };
      this.#terminated(child, child.spec.exitReason(end, child.args), job);
      return;
    }
    const shutdown = child.spec.shutdown;
    if (shutdown === 'brutal_kill' || !trapsExit(child, snapshot)) {
      this.#scope.stopChild(ref);
      this.#terminated(child, shutdown === 'brutal_kill' ? 'killed' : 'shutdown', job);
      return;
    }
    let timer: string | undefined;
    if (typeof shutdown === 'number') {
      timer = this.#newTimer();
      this.#schedule(
        { type: '@supervisor.timer', timer, kind: 'shutdown_timeout' },
        shutdown,
        timer,
      );
    }
    job.inFlight.set(ref.id, { child, timer });
    if (timer) job.byTimer.set(timer, ref.id);
    ref.send({ type: SHUTDOWN_EVENT });
  }

  #terminated(child: ChildRecord, reason: ExitReason | undefined, job: TerminationJob): void {
    const then = job.then;
    // A shutdown forgets every actor id at its end (one clear, not one hash lookup per child).
    if (child.ref && then.kind !== 'shutdown') this.#byActorId.delete(child.ref.id);
    child.ref = undefined;
    const willRestart = job.restarting.has(child);
    if (reason !== undefined && this.#heard('child.exited')) {
      this.#emit({ type: 'child.exited', id: child.id, reason, restart: willRestart });
    }
    if (child.spec.restart === 'temporary' && (job.bystanders || then.kind === 'reply')) {
      this.#remove(child);
    } else if (willRestart) {
      // Only the child whose failure caused the restart shows as `restarting` (OTP).
      child.status = 'failed' in then && child === then.failed ? 'restarting' : 'terminated';
    } else if (this.#state.template && then.kind !== 'shutdown') {
      this.#remove(child);
    } else {
      child.status = 'terminated';
    }
  }

  #continue(then: Continuation): void {
    switch (then.kind) {
      case 'restart':
        this.#scheduleOrRestart(then.group, then.failed, false);
        return;
      case 'retry_group':
        this.#scheduleOrRestart(then.group, then.failed, true);
        return;
      case 'shutdown':
        this.#byActorId.clear();
        this.#emit({ type: 'supervisor.shutdown', cause: then.cause });
        this.outcome = { status: 'done', output: { exitReason: 'shutdown', cause: then.cause } };
        return;
      case 'init_failed':
        this.outcome = {
          status: 'error',
          error: new SupervisorStartError(then.childId, then.error),
        };
        return;
      case 'reply':
        this.#reply(then.requestId, { ok: true });
        return;
    }
  }

  #shutdown(cause: 'intensity' | 'auto_shutdown' | 'requested'): void {
    if (this.#state.phase === 'shutting_down') return;
    this.#state.phase = 'shutting_down';
    this.#emit({ type: 'supervisor.stopping', cause });
    const running: ChildRecord[] = [];
    for (const child of this.#state.childById.values()) {
      if (child.restartTimer) {
        this.#cancelTimer(child.restartTimer);
        child.restartTimer = undefined;
      }
      if (child.status === 'running') running.push(child);
      else if (child.status === 'restarting') {
        // It was told it would be restarted; now it will not be: say so, with why it ended.
        child.status = 'terminated';
        this.#emit({
          type: 'child.exited',
          id: child.id,
          reason: child.lastReason ?? 'shutdown',
          restart: false,
        });
      }
    }
    // simple_one_for_one children are stopped together (order undefined), others in reverse.
    const batches = this.#state.template ? [running] : running.reverse().map((c) => [c]);
    this.#beginJob(batches, false, { kind: 'shutdown', cause });
  }

  // ── the dynamic API ──────────────────────────────────────────────────────────────────────

  #call(event: { requestId: string; call: SupervisorCall }): void {
    const { requestId, call } = event;
    if (this.#state.phase === 'shutting_down') {
      this.#reply(requestId, { ok: false, error: { kind: 'noproc' } });
      return;
    }
    const template = this.#state.template;
    if (call.kind === 'start_child') {
      this.#startChildCall(call.spec, call.args, requestId);
      return;
    }
    const child =
      call.kind === 'terminate_child' && call.actorId !== undefined
        ? this.#byActorId.get(call.actorId)
        : this.#state.childById.get(call.id ?? '');
    const id = call.id ?? call.actorId ?? '';
    if (call.kind === 'terminate_child' && call.actorId !== undefined && !template) {
      // Terminating by reference is for simple_one_for_one; others name their children by id.
      this.#reply(requestId, { ok: false, error: { kind: 'not_found', id } });
      return;
    }
    const byIdOnSimple = call.kind === 'terminate_child' && call.id !== undefined;
    if (
      (call.kind === 'restart_child' || call.kind === 'delete_child' || byIdOnSimple) &&
      template
    ) {
      this.#reply(requestId, { ok: false, error: { kind: 'simple_one_for_one', id } });
      return;
    }
    if (!child && call.kind === 'terminate_child' && call.ownChild === true) {
      // One of its own children that already ended and was forgotten: terminating is idempotent.
      this.#reply(requestId, { ok: true });
      return;
    }
    if (!child) {
      this.#reply(requestId, { ok: false, error: { kind: 'not_found', id } });
      return;
    }
    if (call.kind === 'terminate_child') {
      if (child.status === 'running') {
        this.#beginJob([[child]], false, { kind: 'reply', requestId, child });
        return;
      }
      if (child.restartTimer) this.#cancelTimer(child.restartTimer);
      child.restartTimer = undefined;
      child.status = 'terminated';
      if (child.spec.restart === 'temporary' || template) this.#remove(child);
      this.#reply(requestId, { ok: true });
      return;
    }
    if (child.status !== 'terminated') {
      this.#reply(requestId, { ok: false, error: { kind: child.status, id: child.id } });
      return;
    }
    if (call.kind === 'delete_child') {
      this.#remove(child);
      this.#reply(requestId, { ok: true });
      return;
    }
    try {
      const started = this.#startInstance(child);
      this.#reply(requestId, { ok: true, value: started === 'ignore' ? undefined : started });
    } catch (error) {
      this.#emit({ type: 'child.start_failed', id: child.id, error });
      this.#reply(requestId, { ok: false, error: { kind: 'start_failed', id: child.id, error } });
    }
  }

  #startChildCall(
    spec: ChildSpec | undefined,
    args: readonly unknown[] | undefined,
    requestId: string,
  ): void {
    const template = this.#state.template;
    let record: ChildRecord;
    let startArgs: readonly unknown[] = [];
    if (template) {
      if (args === undefined) {
        this.#reply(requestId, {
          ok: false,
          error: {
            kind: 'start_failed',
            id: template.id,
            error: new TypeError('a simple_one_for_one supervisor starts children from arguments'),
          },
        });
        return;
      }
      this.#state.instanceSeq += 1;
      // A temporary child is never restarted, so its start arguments are not kept (as OTP).
      startArgs = args;
      record = newRecord(
        `${template.id}-${this.#state.instanceSeq}`,
        template,
        template.restart === 'temporary' ? NO_ARGS : args,
      );
    } else {
      let normalized: ChildRecord['spec'];
      try {
        if (spec === undefined) throw new InvalidChildSpecError('missing_id', args);
        normalized = normalizeChildSpec(spec, this.#state.flags.autoShutdown);
      } catch (error) {
        this.#reply(requestId, {
          ok: false,
          error: { kind: 'start_failed', id: String(spec?.id), error },
        });
        return;
      }
      const existing = this.#state.childById.get(normalized.id);
      if (existing?.ref) {
        this.#reply(requestId, {
          ok: false,
          error: { kind: 'already_started', id: existing.id, child: existing.ref },
        });
        return;
      }
      if (existing) {
        this.#reply(requestId, { ok: false, error: { kind: 'already_present', id: existing.id } });
        return;
      }
      record = newRecord(normalized.id, normalized, []);
    }
    this.#state.childById.set(record.id, record);
    try {
      const started = this.#startInstance(record, template ? startArgs : record.args);
      if (started === 'ignore') this.#ignored(record);
      this.#reply(requestId, { ok: true, value: started === 'ignore' ? undefined : started });
    } catch (error) {
      this.#remove(record);
      this.#reply(requestId, { ok: false, error: { kind: 'start_failed', id: record.id, error } });
    }
  }

  // ── plumbing ─────────────────────────────────────────────────────────────────────────────

  #remove(child: ChildRecord): void {
    if (this.#state.childById.get(child.id) === child) this.#state.childById.delete(child.id);
    const actorId = actorIdOf(child);
    if (actorId !== undefined && this.#byActorId.get(actorId) === child) {
      this.#byActorId.delete(actorId);
    }
  }

  /**
   * Whether an event of `type` emitted now would reach a listener. XState drops an event that no
   * one listens to, so a shutdown of 100,000 children need not build 100,000 unheard events.
   * Asked at each emit, so a listener added meanwhile (even by another listener) is heard.
   */
  #heard(type: string): boolean {
    const listeners = this.#listeners;
    return listeners === undefined || listeners.has(type) || listeners.has('*');
  }

  /** Emitted at once, in causal order (started, exited, restarting…). */
  #emit(event: SupervisorEvent): void {
    this.#scope.emit(event);
  }

  /**
   * Answers a call once the transition is over (the caller sees the new snapshot). Replies of
   * one transition go out together, behind one deferred function rather than one per reply.
   */
  #reply(requestId: string, result: AnyResult): void {
    this.#replies.push({ type: 'supervisor.reply', requestId, result });
    if (this.#repliesScheduled) return;
    this.#repliesScheduled = true;
    this.#scope.defer(this.#sendReplies);
  }

  readonly #sendReplies = (): void => {
    const replies = this.#replies;
    this.#replies = [];
    for (const reply of replies) this.#scope.emit(reply as never);
  };

  #newTimer(): string {
    this.#state.timerSeq += 1;
    return `sup-timer-${this.#state.timerSeq}`;
  }

  #schedule(event: SupervisorInternalEvent, delayMs: number, id: string): void {
    const self = this.#scope.self;
    this.#scope.system.scheduler.schedule(self, self, event, delayMs, id);
  }

  #cancelTimer(id: string): void {
    this.#state.restartGroups.delete(id);
    this.#scope.system.scheduler.cancel(this.#scope.self, id);
  }
}

/** What the supervisor reads of a child's snapshot when it terminates it. */
interface ChildSnapshot {
  readonly status: string;
  readonly output?: unknown;
  readonly error?: unknown;
  readonly can?: (event: { type: string }) => boolean;
}

const SHUTDOWN: { readonly type: typeof SHUTDOWN_EVENT } = Object.freeze({ type: SHUTDOWN_EVENT });

/**
 * Whether a child traps exits (is asked to stop with {@link SHUTDOWN_EVENT} and given time),
 * judged from its current snapshot: a supervisor does, and so does a machine that can take it.
 */
function trapsExit(child: ChildRecord, snapshot: ChildSnapshot): boolean {
  if (child.spec.type === 'supervisor') return true;
  // A supervisor started as a worker still shuts down its own children first.
  if (supervisorViewOf(snapshot)) return true;
  return typeof snapshot.can === 'function' && snapshot.can(SHUTDOWN);
}

const NO_ARGS: readonly unknown[] = Object.freeze([]);
const NO_CHILDREN: ReadonlySet<ChildRecord> = new Set();

/** The id of a child's current (or last) actor: `id`, then `id:2`, `id:3`…; none before. */
function actorIdOf(child: ChildRecord): string | undefined {
  if (child.generation === 0) return undefined;
  return child.generation === 1 ? child.id : `${child.id}:${child.generation}`;
}

/** @internal A fresh record for a child spec. */
export function newRecord(
  id: string,
  spec: ChildRecord['spec'],
  args: readonly unknown[],
): ChildRecord {
  return {
    id,
    spec,
    args,
    ref: undefined,
    status: 'terminated',
    generation: 0,
    startedAt: 0,
    backoff: undefined,
    restarts: 0,
    restartTimer: undefined,
    lastReason: undefined,
  };
}
