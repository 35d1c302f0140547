/**
 * The event a supervisor sends to a child that traps exits (a supervisor, or a machine that can
 * take it) to ask it to stop. The child should finish what it must and reach a final state; past
 * its `shutdown` time it is stopped anyway. Send it to a supervisor to shut it down gracefully.
 */
export const SHUTDOWN_EVENT = '@supervisor.shutdown' as const;

/** {@link SHUTDOWN_EVENT} as an event object. */
export interface ShutdownEvent {
  readonly type: typeof SHUTDOWN_EVENT;
}
