import { clampTimerMs } from '../core/validation/max-timer-ms.js';

/**
 * `promise`, or a rejection (`Error: <what> took more than <ms> ms`) when it has not settled
 * by then: a Redis command queued while the server is down would otherwise wait forever.
 * @internal
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    // Capped, not chained: a deadline beyond ~24.8 days is as good as that long.
    timer = setTimeout(
      () => reject(new Error(`${what} took more than ${ms} ms`)),
      clampTimerMs(ms),
    );
    timer.unref?.();
  });
  promise.catch(() => undefined);
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
