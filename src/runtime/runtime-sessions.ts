import { randomUUID } from 'node:crypto';
import type { AnyActorRef } from 'xstate';
import type { ClaudeProcessDependencies } from '../actors/cli-process-types.js';
import type { QueryOptions } from '../machines/query/options/query-options.js';
import type { Session } from '../machines/session/session.js';
import { sessionChildSpec } from '../machines/session/session-child-spec.js';
import type { SessionOptions } from '../machines/session/session-options.js';
import { supervisorClient } from '../supervisors/supervisor-client.js';
import type { SupervisorEvent } from '../supervisors/types.js';
import type { RuntimeTelemetry } from '../telemetry/runtime-telemetry.js';
import type { LiveProcesses } from './live-processes.js';
import { mergeQueryOptions } from './merge-query-options.js';
import { SessionRegistry } from './session-registry.js';
import type { SystemActors } from './system-actors.js';

/** What {@link RuntimeSessions} needs of its runtime. */
export interface RuntimeSessionsDependencies {
  /** Query options every session starts from. */
  readonly defaults: QueryOptions;
  readonly system: SystemActors;
  readonly processes: LiveProcesses;
  /** How sessions spawn their CLI (through the warm pool while there is one). */
  readonly spawn: NonNullable<ClaudeProcessDependencies['spawn']>;
  readonly logger?: ClaudeProcessDependencies['logger'];
  readonly parentEnv?: ClaudeProcessDependencies['parentEnv'];
  /** The live sessions supervisor (`one_for_one`, a child per session). */
  readonly supervisor: () => AnyActorRef | undefined;
  /** Aborted once the runtime stops: no session starts after. */
  readonly stopped: AbortSignal;
  /** Traces each turn. */
  readonly telemetry?: RuntimeTelemetry | undefined;
}

/**
 * @internal The sessions of a runtime: each is a restartable child of the sessions supervisor,
 * admitted and accounted turn by turn as queries are, and killed if the runtime stops first.
 */
export class RuntimeSessions {
  readonly #deps: RuntimeSessionsDependencies;
  readonly #registry = new SessionRegistry();
  /** Sessions supervisors listened to: each (re)started one, the first time a session uses it. */
  readonly #followed = new WeakSet<AnyActorRef>();

  constructor(deps: RuntimeSessionsDependencies) {
    this.#deps = deps;
  }

  /** `Runtime.session`: the session starts on the next microtask. */
  open(sessionOptions: SessionOptions = {}, { id }: { readonly id?: string } = {}): Session {
    const { defaults, system, processes } = this.#deps;
    const key = id ?? `session-${randomUUID()}`;
    // Session-only keys (callbacks, timeouts) pass through the merge as they are.
    const merged = mergeQueryOptions(defaults, sessionOptions) as SessionOptions;
    const spec = sessionChildSpec(key, merged, {
      // Each turn goes through the same admission and accounting as a query.
      admission: system.turnAdmission(key, merged.model),
      logger: this.#deps.logger,
      parentEnv: this.#deps.parentEnv,
      spawn: this.#deps.spawn,
      // As for queries, the stop deadline (not a second clock) cuts a session short.
      shutdown: 'infinity',
    });
    const session = spec.session;
    this.#registry.add(spec);
    // The CLI's rate-limit notices pause admission, as a query's do.
    session.messages$.subscribe((message) => system.observe(message));
    this.#deps.telemetry?.session({ key, model: merged.model }, session);
    session.lifecycle$.subscribe((event) => {
      if (event.type === 'session.spawned' && event.pid !== undefined) processes.track(event.pid);
    });
    // Started on the next microtask: the caller can subscribe to everything first.
    queueMicrotask(() => {
      const supervisor = this.#deps.supervisor();
      if (this.#deps.stopped.aborted || !supervisor) {
        void session.kill();
        return;
      }
      this.#follow(supervisor);
      void supervisorClient(supervisor).startChild(spec);
    });
    return session;
  }

  /** Kills every session still open (the stop deadline passed). */
  killAll(): void {
    for (const spec of this.#registry.list()) void spec.session.kill();
  }

  #follow(supervisor: AnyActorRef): void {
    if (this.#followed.has(supervisor)) return;
    this.#followed.add(supervisor);
    // A session its supervisor will not restart after all is told, not left waiting.
    supervisor.on('child.exited', (exit: SupervisorEvent) => {
      if (exit.type === 'child.exited' && !exit.restart) this.#registry.get(exit.id)?.abandon();
    });
  }
}
