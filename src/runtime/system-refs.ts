import type { ActorSystem, AnyActorRef } from 'xstate';
import { RUNTIME_SYSTEM_IDS, type RuntimeActorName } from './runtime-tree.js';

/** The part of an XState actor system that finds actors by `systemId`. */
export type SystemLookup = Pick<ActorSystem<never>, 'get'>;

/**
 * @internal Finds a runtime's system actors by their XState `systemId` (see
 * {@link RUNTIME_SYSTEM_IDS}): always the live actor, the new one after a supervisor restarted
 * it. While none is registered (restarting, or the runtime stopped) it answers with the last
 * actor it saw, as the runtime's stats and snapshot still read a stopped actor's last state.
 */
export class SystemRefs {
  #system: SystemLookup | undefined;
  readonly #last = new Map<RuntimeActorName, AnyActorRef>();
  readonly #clients = new WeakMap<AnyActorRef, unknown>();

  /** Looks actors up in this system from now on (the runtime's root actor's). */
  bind(system: SystemLookup): void {
    this.#system = system;
  }

  /** The live actor registered as `name`, else the last one seen. */
  get(name: RuntimeActorName): AnyActorRef | undefined {
    const live = this.live(name);
    if (!live) return this.#last.get(name);
    this.#last.set(name, live);
    return live;
  }

  /** The live actor registered as `name`, or `undefined` while there is none. */
  live(name: RuntimeActorName): AnyActorRef | undefined {
    return this.#system?.get(RUNTIME_SYSTEM_IDS[name]) as AnyActorRef | undefined;
  }

  /** A client of {@link SystemRefs.get}'s actor, made once per actor. */
  client<T>(name: RuntimeActorName, make: (ref: AnyActorRef) => T): T | undefined {
    const ref = this.get(name);
    if (!ref) return undefined;
    let client = this.#clients.get(ref) as T | undefined;
    if (client === undefined) {
      client = make(ref);
      this.#clients.set(ref, client);
    }
    return client;
  }

  /** Remembers every live actor now, so that reads after they stop find their last state. */
  retain(): void {
    for (const name of Object.keys(RUNTIME_SYSTEM_IDS) as RuntimeActorName[]) this.get(name);
  }
}
