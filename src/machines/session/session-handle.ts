import { type Observable, ReplaySubject, Subject } from 'rxjs';
import type { Actor, AnyActorRef, Observer as XStateObserver } from 'xstate';
import { requestReply } from '../../core/actor/request-reply.js';
import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { CliMessage } from '../../protocol/cli-message.js';
import type { HostControlRequest } from '../../protocol/control.js';
import type { OtherHostControlRequest } from '../../protocol/host-control-requests.js';
import { controlRequest, userMessage } from '../../protocol/host-message-builders.js';
import { serializeHostMessage } from '../../protocol/serialize-host-message.js';
import { parsePrompt } from '../query/options/parse-prompt.js';
import { SessionClosedError } from './errors/session-closed-error.js';
import { parseHostControlRequest } from './parse-host-control-request.js';
import type {
  PermissionMode,
  Session,
  SessionLifecycleEvent,
  SessionPrompt,
  SessionStatus,
  Turn,
  TurnResult,
} from './session.js';
import type { sessionMachine } from './session-machine.js';
import type { SessionEmitted, SessionOutput } from './session-types.js';
import type { TurnAdmission, TurnOutcome } from './turn-admission.js';

/** The session actor's answer to one control request. */
type ControlSettled = Extract<SessionEmitted, { type: 'control.settled' }>;

/** A session actor, as the handle drives it. */
export type SessionActor = Actor<typeof sessionMachine>;

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers may never look at a turn's result: its rejection must not be reported as unhandled.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

interface TurnEntry {
  readonly subject: ReplaySubject<CliMessage>;
  readonly result: Deferred<TurnResult>;
}

/**
 * The {@link Session} API over session actors: one actor for a plain session, a new one after
 * each restart for a supervised session ({@link SessionHandle.attach} is called by every new
 * actor as it starts).
 *
 * @internal
 */
export class SessionHandle implements Session {
  readonly key: string;
  readonly messages$: Observable<CliMessage>;
  readonly lifecycle$: Observable<SessionLifecycleEvent>;
  readonly input: Session['input'];
  readonly closed: Promise<SessionOutput>;

  readonly #supervised: boolean;
  readonly #messages = new Subject<CliMessage>();
  readonly #lifecycle = new Subject<SessionLifecycleEvent>();
  readonly #turns = new Map<string, TurnEntry>();
  readonly #closed = deferred<SessionOutput>();
  /** Turns sent while no actor runs (between a failure and the restart). */
  #buffered: { turnId: string; line: string }[] = [];
  #actor: SessionActor | undefined;
  #generation = 0;
  #status: SessionStatus = 'starting';
  #sessionId: string | undefined;
  #totalCostUsd = 0;
  #closeRequested = false;
  #lastFailure: SessionOutput | undefined;
  #ended = false;
  #seq = 0;
  readonly #admission: TurnAdmission | undefined;
  /** Admissions run one after the other, so turns reach the CLI in the order sent. */
  #admitted: Promise<void> = Promise.resolve();
  /** When each admitted turn was sent (epoch ms), by turn id. */
  readonly #admittedAt = new Map<string, number>();

  constructor(
    key: string,
    options: {
      supervised: boolean;
      sessionId?: string | undefined;
      admission?: TurnAdmission | undefined;
    },
  ) {
    this.key = key;
    this.#admission = options.admission;
    this.#supervised = options.supervised;
    this.#sessionId = options.sessionId;
    this.messages$ = this.#messages.asObservable();
    this.lifecycle$ = this.#lifecycle.asObservable();
    this.closed = this.#closed.promise;
    this.input = {
      next: (prompt) => {
        this.send(prompt);
      },
      error: () => void this.close(),
      complete: () => void this.close(),
    };
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  get status(): SessionStatus {
    return this.#status;
  }

  get totalCostUsd(): number {
    return this.#totalCostUsd;
  }

  get actor(): AnyActorRef | undefined {
    return this.#actor;
  }

  /** How many actors have run this session (1 before any restart). */
  get generation(): number {
    return this.#generation;
  }

  /** Follows a new actor of this session; called once by each actor as it starts. */
  attach(actor: SessionActor): void {
    this.#actor = actor;
    this.#generation += 1;
    const generation = this.#generation;
    this.#status = 'starting';
    if (generation > 1) {
      this.#lifecycle.next({
        type: 'session.restarted',
        generation,
        resumedSessionId: this.#sessionId,
      });
    }
    actor.on('*', (event) => this.#onEmitted(event as SessionEmitted, generation));
    const observer: XStateObserver<ReturnType<SessionActor['getSnapshot']>> = {
      next: (snapshot) => {
        if (this.#actor !== actor) return;
        if (snapshot.status === 'done') this.#onEnd(snapshot.output, generation);
        else if (snapshot.status === 'active') this.#status = statusOf(snapshot.value);
      },
      error: (error) => {
        if (this.#actor !== actor) return;
        this.#onEnd(
          {
            status: 'failed',
            error: error as ClaudeActorsError,
            sessionId: this.#sessionId,
            totalCostUsd: this.#totalCostUsd,
            turns: 0,
          },
          generation,
        );
      },
      // Stopped from outside (actor.stop(), a supervisor's stop): no `done` comes, so the
      // session ends here, as killed, and everything waiting on it settles.
      complete: () => {
        if (this.#actor !== actor || actor.getSnapshot().status === 'done') return;
        if (this.#supervised && !this.#closeRequested) return;
        this.#onEnd(
          {
            status: 'closed',
            reason: 'killed',
            sessionId: this.#sessionId,
            totalCostUsd: this.#totalCostUsd,
            turns: 0,
          },
          generation,
        );
      },
    };
    actor.subscribe(observer);
    // Turns sent during the restart go to the new CLI, in order.
    const buffered = this.#buffered;
    this.#buffered = [];
    for (const turn of buffered) actor.send({ type: 'SEND', ...turn });
    if (this.#closeRequested) actor.send({ type: 'CLOSE' });
  }

  send(prompt: SessionPrompt): Turn {
    const turnId = `turn_${++this.#seq}`;
    const entry: TurnEntry = { subject: new ReplaySubject<CliMessage>(), result: deferred() };
    const turn = Object.assign(entry.subject.asObservable(), {
      id: turnId,
      result: entry.result.promise,
    });
    let line: string;
    try {
      // A bad prompt fails its own turn (InvalidOptionsError); the session goes on.
      parsePrompt(prompt);
      line = serializeHostMessage(userMessage(prompt));
    } catch (error) {
      this.#failTurn(entry, error);
      return turn;
    }
    if (this.#ended || this.#closeRequested) {
      this.#failTurn(entry, this.#closedError('turn', 'it is closed or closing'));
      return turn;
    }
    this.#turns.set(turnId, entry);
    const admission = this.#admission;
    if (!admission) {
      this.#dispatch(turnId, line);
      return turn;
    }
    this.#admitted = this.#admitted.then(() =>
      admission.admit(turnId).then(
        () => {
          if (!this.#turns.has(turnId)) {
            admission.settled(turnId, {
              ok: false,
              error: this.#closedError('turn', 'it ended before the turn was admitted'),
              durationMs: 0,
            });
            return;
          }
          this.#admittedAt.set(turnId, Date.now());
          this.#dispatch(turnId, line);
        },
        (error: unknown) => {
          this.#turns.delete(turnId);
          this.#failTurn(entry, error);
        },
      ),
    );
    return turn;
  }

  #dispatch(turnId: string, line: string): void {
    if (this.#actor && this.#status !== 'restarting') {
      this.#actor.send({ type: 'SEND', turnId, line });
    } else {
      this.#buffered.push({ turnId, line });
    }
  }

  /** Tells the admission side how an admitted turn ended. */
  #settleAdmitted(turnId: string, outcome: (durationMs: number) => TurnOutcome): void {
    const at = this.#admittedAt.get(turnId);
    if (at === undefined || !this.#admission) return;
    this.#admittedAt.delete(turnId);
    this.#admission.settled(turnId, outcome(Date.now() - at));
  }

  async interrupt(): Promise<void> {
    await this.#control({ subtype: 'interrupt' });
  }

  async setModel(model: string | undefined): Promise<void> {
    await this.#control(
      model === undefined ? { subtype: 'set_model' } : { subtype: 'set_model', model },
    );
  }

  async setPermissionMode(mode: PermissionMode): Promise<string> {
    const response = await this.request('set_permission_mode', { mode });
    // The CLI answers with the mode in effect; older CLIs answer nothing.
    return typeof response.mode === 'string' ? response.mode : mode;
  }

  request(subtype: string, payload?: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      return this.#control(parseHostControlRequest(subtype, payload));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  getContextUsage(): Promise<Record<string, unknown>> {
    return this.request('get_context_usage');
  }

  async setMaxThinkingTokens(tokens: number | null): Promise<void> {
    await this.request('set_max_thinking_tokens', { max_thinking_tokens: tokens });
  }

  async stopTask(taskId: string): Promise<void> {
    await this.request('stop_task', { task_id: taskId });
  }

  rewindFiles(
    userMessageId: string,
    options: { readonly dryRun?: boolean } = {},
  ): Promise<Record<string, unknown>> {
    return this.request('rewind_files', {
      user_message_id: userMessageId,
      ...(options.dryRun === undefined ? {} : { dry_run: options.dryRun }),
    });
  }

  async mcpServerStatus(): Promise<readonly Record<string, unknown>[]> {
    const response = await this.request('mcp_status');
    return Array.isArray(response.mcpServers) ? response.mcpServers : [];
  }

  async reconnectMcpServer(name: string): Promise<void> {
    await this.request('mcp_reconnect', { serverName: name });
  }

  async toggleMcpServer(name: string, enabled: boolean): Promise<void> {
    await this.request('mcp_toggle', { serverName: name, enabled });
  }

  setMcpServers(
    servers: Record<string, Record<string, unknown>>,
  ): Promise<Record<string, unknown>> {
    return this.request('mcp_set_servers', { servers });
  }

  async renameSession(title: string): Promise<void> {
    await this.request('rename_session', { title });
  }

  getSettings(): Promise<Record<string, unknown>> {
    return this.request('get_settings');
  }

  close(): Promise<SessionOutput> {
    if (!this.#ended && !this.#closeRequested) {
      this.#closeRequested = true;
      // Turns still waiting for admission go first: closing ends the input after them.
      void this.#admitted.then(() => {
        if (this.#ended) return;
        if (this.#actor && this.#status !== 'restarting') this.#actor.send({ type: 'CLOSE' });
        else if (this.#buffered.length === 0) this.#finish(this.#syntheticOutput('closed'));
      });
    }
    return this.closed;
  }

  /**
   * @internal Its supervisor will not restart it after all (it gave up or is shutting down):
   * a session waiting for a restart ends with its last failure.
   */
  abandon(): void {
    if (this.#ended || this.#status !== 'restarting' || !this.#lastFailure) return;
    this.#finish(this.#lastFailure);
  }

  kill(): Promise<SessionOutput> {
    if (!this.#ended) {
      this.#closeRequested = true;
      if (this.#actor && this.#status !== 'restarting') this.#actor.send({ type: 'KILL' });
      else this.#finish(this.#syntheticOutput('killed'));
    }
    return this.closed;
  }

  #control(
    request: HostControlRequest | OtherHostControlRequest,
  ): Promise<Record<string, unknown>> {
    const requestId = `req_${++this.#seq}`;
    const actor = this.#actor;
    if (this.#ended || !actor || this.#status === 'restarting') {
      return Promise.reject(this.#closedError(request.subtype, 'no CLI is running'));
    }
    // The session machine times the request out (`controlTimeoutMs`) and settles every pending
    // one as it ends; the actor stopping without that (stopped from outside) ends it here.
    return requestReply<ControlSettled, Record<string, unknown>>(actor, {
      replyType: 'control.settled',
      requestId,
      send: () =>
        actor.send({
          type: 'CONTROL',
          requestId,
          subtype: request.subtype,
          line: serializeHostMessage(controlRequest(requestId, request)),
        }),
      onReply: (reply) => {
        if (reply.error) throw reply.error;
        return reply.response ?? {};
      },
      onStopped: () => {
        throw this.#closedError(request.subtype, 'its CLI stopped before it answered');
      },
    });
  }

  #onEmitted(event: SessionEmitted, generation: number): void {
    switch (event.type) {
      case 'session.spawned':
        this.#lifecycle.next({ type: 'session.spawned', pid: event.pid, generation });
        return;
      case 'session.ready':
        this.#lifecycle.next({ type: 'session.ready', generation, response: event.response });
        return;
      case 'session.message': {
        this.#messages.next(event.message);
        if (event.turnId) this.#turns.get(event.turnId)?.subject.next(event.message);
        return;
      }
      case 'session.id_assigned':
        this.#sessionId = event.sessionId;
        this.#lifecycle.next({ type: 'session.id_assigned', sessionId: event.sessionId });
        return;
      case 'turn.completed': {
        this.#totalCostUsd = event.totalCostUsd;
        const { type: _type, ...result } = event;
        const entry = this.#turns.get(event.turnId);
        this.#turns.delete(event.turnId);
        this.#lifecycle.next({
          type: 'turn.completed',
          turnId: event.turnId,
          interrupted: event.interrupted,
          turnCostUsd: event.turnCostUsd,
          totalCostUsd: event.totalCostUsd,
        });
        this.#settleAdmitted(event.turnId, (durationMs) => ({
          ok: true,
          result: event.result,
          turnCostUsd: event.turnCostUsd,
          durationMs,
        }));
        entry?.result.resolve(result);
        entry?.subject.complete();
        return;
      }
      case 'turn.failed': {
        const entry = this.#turns.get(event.turnId);
        this.#turns.delete(event.turnId);
        this.#settleAdmitted(event.turnId, (durationMs) => ({
          ok: false,
          error: event.error,
          durationMs,
        }));
        if (entry) this.#failTurn(entry, event.error);
        return;
      }
      case 'session.callback_failed':
        this.#lifecycle.next({ type: 'session.callback_failed', error: event.error });
        return;
      case 'session.protocol_error':
        this.#lifecycle.next({ type: 'session.protocol_error', error: event.error });
        return;
      default:
        return;
    }
  }

  #onEnd(output: SessionOutput, generation: number): void {
    if (this.#ended) return;
    this.#sessionId = output.sessionId ?? this.#sessionId;
    this.#totalCostUsd = Math.max(this.#totalCostUsd, output.totalCostUsd);
    if (output.status === 'failed') {
      this.#lastFailure = output;
      this.#lifecycle.next({ type: 'session.failed', error: output.error, generation });
      // A supervisor restarts it: wait for the next actor, unless the caller is done with it.
      if (this.#supervised && !this.#closeRequested) {
        this.#status = 'restarting';
        return;
      }
    }
    this.#finish(output);
  }

  #finish(output: SessionOutput): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#status = output.status;
    const error = this.#closedError('turn', 'it ended');
    for (const entry of this.#turns.values()) this.#failTurn(entry, error);
    this.#turns.clear();
    this.#buffered = [];
    this.#lifecycle.next({ type: 'session.closed', output });
    this.#lifecycle.complete();
    this.#messages.complete();
    this.#closed.resolve(output);
  }

  #failTurn(entry: TurnEntry, error: unknown): void {
    entry.result.reject(error);
    entry.subject.error(error);
  }

  #closedError(operation: string, why: string): SessionClosedError {
    return new SessionClosedError(operation, why, { sessionKey: this.key });
  }

  #syntheticOutput(reason: 'closed' | 'killed'): SessionOutput {
    return {
      status: 'closed',
      reason,
      sessionId: this.#sessionId,
      totalCostUsd: this.#totalCostUsd,
      turns: 0,
    };
  }
}

function statusOf(value: unknown): SessionStatus {
  const top = typeof value === 'string' ? value : Object.keys(value as object)[0];
  switch (top) {
    case 'ready':
    case 'responding':
    case 'closing':
    case 'closed':
    case 'failed':
      return top;
    default:
      return 'starting';
  }
}
