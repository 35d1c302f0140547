import type { SessionChildSpec } from '../machines/session/session-child-spec.js';

/**
 * @internal The sessions a runtime has open, by supervisor child id; each leaves when its
 * session closes. Two sessions opened with the same id are both kept until they close (the
 * supervisor refuses the second), so that stopping the runtime still kills both.
 */
export class SessionRegistry {
  readonly #open = new Set<SessionChildSpec>();
  readonly #byId = new Map<string, SessionChildSpec>();

  /** Registers a session's child spec until its session closes. */
  add(spec: SessionChildSpec): void {
    this.#open.add(spec);
    this.#byId.set(spec.id, spec);
    void spec.session.closed.finally(() => this.remove(spec));
  }

  /** The open session whose child id is `id`. */
  get(id: string): SessionChildSpec | undefined {
    return this.#byId.get(id);
  }

  /** Forgets a session (its session closed). */
  remove(spec: SessionChildSpec): void {
    this.#open.delete(spec);
    if (this.#byId.get(spec.id) === spec) this.#byId.delete(spec.id);
  }

  /** The open sessions, in the order they were opened. */
  list(): SessionChildSpec[] {
    return [...this.#open];
  }
}
