/**
 * The event a supervisor sends to a child that traps exits (a supervisor, or a machine that can
 * take it) to ask it to stop. The child should finish what it must and reach a final state; past
 * its `shutdown` time it is stopped anyway. Send it to a supervisor to shut it down gracefully.
 *
 * Namespaced like XState's `xstate.*` rather than UPPER_CASE like commands: any child may
 * receive it, so it must not collide with the commands a child names itself.
 */
export const SHUTDOWN_EVENT = '@supervisor.shutdown' as const;

/** {@link SHUTDOWN_EVENT} as an event object. */
export interface ShutdownEvent {
  readonly type: typeof SHUTDOWN_EVENT;
}
