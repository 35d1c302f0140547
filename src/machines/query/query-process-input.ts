import type { HostMessage } from '../../protocol/host-message.js';
import { controlRequest, userMessage } from '../../protocol/host-message-builders.js';
import { needsInitialize } from '../control/initialize-options.js';
import { initializeRequest } from '../control/initialize-request.js';
import { INITIALIZE_REQUEST_ID } from '../control/initialize-request-id.js';
import { needsControl } from '../control/needs-control.js';
import { spawnOptionsFor } from './options/spawn-options-for.js';
import type { QueryContext } from './query-context.js';
import type { ProcessInput } from './query-types.js';

/**
 * The input of an attempt's CLI-process actor: the prompt as one user message (after an
 * `initialize` request when the options need one: hooks, in-process MCP servers...), stdin
 * closed once it is written, or at the result when the query talks the control protocol (see
 * `needsControl`; such a process is `exclusive`: never pooled), and the spawn options of the
 * query's options.
 *
 * @internal
 */
export function queryProcessInput(
  context: Pick<QueryContext, 'queryId' | 'prompt' | 'options' | 'attempt'>,
): ProcessInput {
  const { queryId, attempt, options } = context;
  // The first attempt may already have created the session, and the CLI refuses a
  // `--session-id` that exists: later attempts run under a fresh id (the result reports it).
  const spawnFrom = attempt > 1 ? { ...options, sessionId: undefined } : options;
  const prompt = userMessage(context.prompt);
  const control = needsControl(options);
  const messages: HostMessage[] = [
    ...(needsInitialize(options)
      ? [controlRequest(INITIALIZE_REQUEST_ID, initializeRequest(options))]
      : []),
    options.verbatimPrompts ? { ...prompt, client_composed: true } : prompt,
  ];
  return {
    queryId,
    attempt,
    // A pooled process goes back to its pool at the result, and a later query would get a CLI
    // that keeps this one's registrations (hooks, servers): such a query has its own.
    spawnOptions: (parentEnv) => ({
      ...spawnOptionsFor(spawnFrom, parentEnv),
      ...(control ? { exclusive: true } : {}),
    }),
    messages,
    // The CLI's requests (permissions, MCP tool calls, hooks) need stdin for the whole turn.
    stdin: control ? 'untilResult' : 'afterMessages',
    maxLineBytes: options.maxLineBytes,
    killGraceMs: options.timeouts.killGraceMs,
    logBindings: { queryId, attempt },
  };
}
