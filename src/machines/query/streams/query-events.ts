import { Observable } from 'rxjs';
import type { QueryActor } from '../create-query-actor.js';
import type { QueryEvent } from '../query-types.js';

/**
 * Every event of a query actor as an Observable: `query.spawned`, `query.message`,
 * `query.protocol_error`, `query.retrying`, `query.exited`.
 *
 * Hot: it relays what the actor emits while subscribed, so a late subscriber misses what came
 * before (use `runQuery`'s `events$`, which replays, for a full history). Completes when the
 * actor reaches a final state or is stopped; never errors (a failed query is a result).
 */
export function queryEvents(actor: QueryActor): Observable<QueryEvent> {
  return new Observable<QueryEvent>((subscriber) => {
    const listener = actor.on('*', (event) => subscriber.next(event as QueryEvent));
    const status = actor.subscribe({
      next: (snapshot) => {
        if (snapshot.status !== 'active') subscriber.complete();
      },
      complete: () => subscriber.complete(),
      error: () => subscriber.complete(),
    });
    if (actor.getSnapshot().status !== 'active') subscriber.complete();
    return () => {
      listener.unsubscribe();
      status.unsubscribe();
    };
  });
}
