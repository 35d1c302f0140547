import { Observable } from 'rxjs';
import type { AnyActorRef } from 'xstate';

/**
 * An Observable of a value derived from an actor's snapshot: the current value at once, then
 * each change (compared with `equals`), completing when the actor stops.
 *
 * @param ref - Any actor.
 * @param select - Reads the value from a snapshot.
 * @param equals - Whether two values are the same, so not emitted again.
 * @internal
 */
export function observeActor<T>(
  ref: AnyActorRef,
  select: (snapshot: unknown) => T,
  equals: (a: T, b: T) => boolean = Object.is,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const snapshot = ref.getSnapshot() as { status?: string } | undefined;
    let last = select(snapshot);
    subscriber.next(last);
    if (snapshot?.status !== 'active') {
      subscriber.complete();
      return undefined;
    }
    const subscription = ref.subscribe({
      next: (next: unknown) => {
        const value = select(next);
        if (equals(last, value)) return;
        last = value;
        subscriber.next(value);
      },
      complete: () => subscriber.complete(),
      error: () => subscriber.complete(),
    });
    return () => subscription.unsubscribe();
  });
}
