import { userMessage } from '../../protocol/host-message-builders.js';
import { spawnOptionsFor } from './options/spawn-options-for.js';
import type { QueryContext } from './query-context.js';
import type { ProcessInput } from './query-types.js';

/**
 * The input of an attempt's CLI-process actor: the prompt as one user message, stdin closed
 * once it is written (or at the result, when the CLI asks for permissions over stdio), and
 * the spawn options of the query's options.
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
  return {
    queryId,
    attempt,
    spawnOptions: (parentEnv) => spawnOptionsFor(spawnFrom, parentEnv),
    messages: [userMessage(context.prompt)],
    // Only the control protocol (permission prompts over stdio) needs stdin for the whole turn.
    stdin: options.permissionPromptTool === undefined ? 'afterMessages' : 'untilResult',
    maxLineBytes: options.maxLineBytes,
    killGraceMs: options.timeouts.killGraceMs,
    logBindings: { queryId, attempt },
  };
}
