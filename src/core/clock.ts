/** Where the task queue reads the time: injected so tests can use fake timers. */
export interface TaskQueueClock {
  /** Milliseconds since an arbitrary origin, never decreasing. */
  now(): number;
}

/** The real clock (`Date.now`). */
export const systemClock: TaskQueueClock = { now: () => Date.now() };
