import {
  type ScriptedCall,
  type ScriptedReply,
  scriptedSpawn,
} from '../../helpers/scripted-spawn.js';

export type { ScriptedCall, ScriptedReply };

/**
 * The shared fake CLI (`test/helpers/scripted-spawn.ts`) with the shape these tests use:
 * `script(prompt, n, cwd)`, where n counts the calls with that prompt (from 1) and cwd is the
 * query's working directory; the call log; the most queries in flight at once.
 */
export function createScriptedSpawn(
  script: (prompt: string, n: number, cwd: string | undefined) => ScriptedReply = () => ({}),
) {
  const { spawn, state } = scriptedSpawn((prompt, _call, { n, cwd }) => script(prompt, n, cwd));
  return {
    spawn,
    calls: state.calls,
    /** The most queries in flight at once (spawned and not yet answered). */
    maxConcurrent: () => state.maxLive,
    /** Queries in flight now. */
    live: () => state.live,
  };
}
