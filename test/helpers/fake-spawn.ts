import type { ClaudeProcess, SpawnClaudeOptions } from '../../src/process/spawn/spawn-claude.js';
import { scriptedSpawn } from './scripted-spawn.js';

const { spawn } = scriptedSpawn(() => ({}));

/**
 * An in-process stand-in for `spawnClaude` that answers every prompt with `fake: <prompt>` on
 * the next tick. For scale and leak tests, where 10,000 real CLIs would take an hour; the real
 * CLI is covered by the integration tests.
 */
export function fakeSpawn(options: SpawnClaudeOptions): ClaudeProcess {
  return spawn(options);
}
