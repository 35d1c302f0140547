import { randomUUID } from 'node:crypto';
import { type Actor, createActor, type InspectionEvent, type Observer } from 'xstate';
import { fromCliProcess } from '../../actors/cli-process-actor.js';
import type { ClaudeProcessDependencies } from '../../actors/cli-process-types.js';
import { redactingObserver } from '../../core/redaction/redact-inspection-event.js';
import { redactPersistence } from '../../core/redaction/redact-persistence.js';
import { parseQueryOptions } from './options/parse-options.js';
import { parsePrompt } from './options/parse-prompt.js';
import type { QueryOptions } from './options/query-options.js';
import { queryMachine } from './query-machine.js';
import type { QueryPrompt } from './query-types.js';

/** A running (or startable) query actor. */
export type QueryActor = Actor<typeof queryMachine>;

/** How the actor itself is created (not what the CLI is asked to do). */
export interface QueryActorOptions extends ClaudeProcessDependencies {
  /** Id of the query, in logs, errors and the inspector. @defaultValue a random UUID */
  readonly queryId?: string;
  /** An XState inspection observer, e.g. from `@statelyai/inspect`. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Randomness for backoff jitter. @defaultValue `Math.random` */
  readonly random?: () => number;
}

/**
 * Creates (without starting) an XState actor that runs one Claude query through the real CLI.
 *
 * @example
 * const actor = createQueryActor('Summarise README.md', { maxTurns: 3 });
 * actor.on('query.message', ({ message }) => show(message.type));
 * actor.start();
 * const { output } = await toPromise(actor);
 *
 * @throws {@link InvalidOptionsError} naming the first invalid option and its value, or for a
 *   prompt that is not a non-empty string or array of content blocks (see `parsePrompt`).
 */
export function createQueryActor(
  prompt: QueryPrompt,
  options: QueryOptions = {},
  actorOptions: QueryActorOptions = {},
): QueryActor {
  parsePrompt(prompt);
  const resolved = parseQueryOptions(options);
  const queryId = actorOptions.queryId ?? randomUUID();
  const machine = redactPersistence(
    queryMachine.provide({ actors: { claudeProcess: fromCliProcess(actorOptions) } }),
  );
  return createActor(machine, {
    id: queryId,
    input: { queryId, prompt, options: resolved, random: actorOptions.random },
    inspect: redactingObserver(actorOptions.inspect),
  }) as unknown as QueryActor;
}
