import { spawnOptionsFor } from '../query/options/spawn-options-for.js';
import type { ResolvedSessionOptions } from './session-options.js';
import type { SessionProcessInput } from './session-types.js';

/**
 * The input of a session's CLI-process actor: one long-lived CLI in stream-json input mode,
 * stdin open for the whole session (the machine writes turns and control messages and closes
 * it), started with the spawn options of the session's options.
 *
 * @internal
 */
export function sessionProcessInput(context: {
  readonly sessionKey: string;
  readonly options: ResolvedSessionOptions;
}): SessionProcessInput {
  const { sessionKey, options } = context;
  return {
    sessionKey,
    spawnOptions: (parentEnv) => spawnOptionsFor(options, parentEnv),
    messages: [],
    stdin: 'open',
    maxLineBytes: options.maxLineBytes,
    killGraceMs: options.timeouts.killGraceMs,
    logBindings: { sessionKey },
  };
}
