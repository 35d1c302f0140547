import { filter, map, type Observable, type OperatorFunction } from 'rxjs';
import type { CliMessage } from '../../../protocol/cli-message.js';
import type { QueryActor } from '../create-query-actor.js';
import type { QueryEvent } from '../query-types.js';
import { queryEvents } from './query-events.js';

/** Keeps the CLI messages of a query's events, in order, across attempts. */
export function messagesOf(): OperatorFunction<QueryEvent, CliMessage> {
  return (events) =>
    events.pipe(
      filter(
        (event): event is Extract<QueryEvent, { type: 'query.message' }> =>
          event.type === 'query.message',
      ),
      map((event) => event.message),
    );
}

/** The CLI messages of a query actor, hot (see {@link queryEvents}). */
export function queryMessages(actor: QueryActor): Observable<CliMessage> {
  return queryEvents(actor).pipe(messagesOf());
}
