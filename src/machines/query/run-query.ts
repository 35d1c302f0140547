import { type Observable, ReplaySubject } from 'rxjs';
import type { ZodType, output as zOutput } from 'zod';
import { CancelledError } from '../../core/errors/cancelled-error.js';
import type { CliMessage } from '../../protocol/cli-message.js';
import { createQueryActor, type QueryActor, type QueryActorOptions } from './create-query-actor.js';
import { historySoFar } from './history/history-so-far.js';
import type { QueryOptions } from './options/query-options.js';
import { takeAbortController } from './options/take-abort-controller.js';
import type { QueryEvent, QueryPrompt, QueryResult } from './query-types.js';
import { queryEvents } from './streams/query-events.js';
import { messagesOf } from './streams/query-messages.js';

/** Options of {@link runQuery} beyond the query options. */
export interface RunQueryOptions extends QueryActorOptions {
  /**
   * Aborting cancels the query: its process is killed and the result is `cancelled`. The query
   * option `abortController` (the Agent SDK's name) does the same.
   */
  readonly signal?: AbortSignal;
}

/** A started query. */
export interface QueryHandle<T = unknown> {
  readonly queryId: string;
  /** The XState actor: inspect it, subscribe to snapshots, or send it `{ type: 'CANCEL' }`. */
  readonly actor: QueryActor;
  /**
   * Every event of the query (spawned, message, protocol_error, retrying, exited).
   * Replays from the start to every subscriber, late ones included, and completes with the
   * query; the history is held until the handle is dropped.
   */
  readonly events$: Observable<QueryEvent>;
  /**
   * The CLI messages of {@link QueryHandle.events$}, with the same replay. Control traffic
   * (`control_request`, `control_response`, `control_cancel_request`) is not among them: the
   * query answers the CLI's requests itself, with its callbacks (`canUseTool`, `hooks`,
   * `sdkMcpServers`...) or, without one, the safe default (a denied permission, a declined
   * elicitation, an error answer), so that the CLI is never left waiting.
   */
  readonly messages$: Observable<CliMessage>;
  /** Settles with the outcome; never rejects: failures are `status: 'failed'` with an `error`. */
  readonly result: Promise<QueryResult<T>>;
  /** Cancels the query (kills its process); the result becomes `cancelled`. */
  cancel(reason?: unknown): void;
}

/**
 * Starts one Claude query as an actor and hands out its result and its message stream.
 *
 * @example
 * const { messages$, result } = runQuery('What is 2 + 2?');
 * messages$.pipe(assistantText()).subscribe((text) => process.stdout.write(text));
 * const { status, text, costUsd } = await result;
 *
 * @throws {@link InvalidOptionsError} before anything starts, when an option or the prompt is
 *   invalid.
 */
export function runQuery<S extends ZodType | undefined = undefined>(
  prompt: QueryPrompt,
  options: QueryOptions & { readonly outputSchema?: S } = {},
  runOptions: RunQueryOptions = {},
): QueryHandle<S extends ZodType ? zOutput<S> : unknown> {
  const { signal: ownSignal, ...actorOptions } = runOptions;
  // The Agent SDK's `abortController` option cancels the query as `signal` does.
  const { options: queryOptions, signal, dispose } = takeAbortController(options, ownSignal);
  let actor: QueryActor;
  try {
    actor = createQueryActor(prompt, queryOptions, actorOptions);
  } catch (error) {
    // Refused (a bad prompt or option): nothing will settle, so detach the joined signal now.
    dispose();
    throw error;
  }
  const queryId = actor.id;
  const events = new ReplaySubject<QueryEvent>();
  queryEvents(actor).subscribe(events);

  const result = new Promise<QueryResult<never>>((resolve) => {
    actor.subscribe({
      next: (snapshot) => {
        if (snapshot.status === 'done') resolve(snapshot.output as QueryResult<never>);
      },
      complete: () => {
        const snapshot = actor.getSnapshot();
        if (snapshot.status === 'done') resolve(snapshot.output as QueryResult<never>);
        // Stopped from outside (actor.stop(), a parent stopping it): that is a cancellation.
        else resolve(cancelledResult(actor, 'the actor was stopped'));
      },
      error: () => resolve(cancelledResult(actor, 'the actor failed')),
    });
  });
  // A long-lived signal shared by many queries keeps no listener of a settled one.
  void result.finally(dispose);

  const cancel = (reason?: unknown): void => {
    if (actor.getSnapshot().status === 'active') actor.send({ type: 'CANCEL', reason });
  };
  if (signal) {
    const onAbort = (): void => cancel(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void result.finally(() => signal.removeEventListener('abort', onAbort));
  }
  actor.start();
  if (signal?.aborted) cancel(signal.reason);

  return {
    queryId,
    actor,
    events$: events.asObservable(),
    messages$: events.pipe(messagesOf()),
    result,
    cancel,
  };
}

function cancelledResult(actor: QueryActor, reason: string): QueryResult<never> {
  const { context } = actor.getSnapshot();
  return historySoFar(context).toResult<never>({
    status: 'cancelled',
    finishedAt: context.now(),
    error: new CancelledError(reason, { queryId: context.queryId, attempt: context.attempt }),
  });
}
