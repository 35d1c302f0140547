/** A promise's outcome, readable synchronously once microtasks ran. */
export interface Tracked<T> {
  status: 'pending' | 'resolved' | 'rejected';
  value: T | undefined;
  error: unknown;
}

/** Tracks a promise so tests can assert on it without awaiting. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked: Tracked<T> = { status: 'pending', value: undefined, error: undefined };
  promise.then(
    (value) => {
      tracked.status = 'resolved';
      tracked.value = value;
    },
    (error: unknown) => {
      tracked.status = 'rejected';
      tracked.error = error;
    },
  );
  return tracked;
}
