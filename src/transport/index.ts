export { type BuildEnvOptions, buildEnv } from './build-env.js';
export {
  liveProcesses,
  processRegistry,
  waitForNoLiveProcesses,
} from './process-registry.js';
export {
  canScanProcesses,
  findProcessTree,
  killProcessTree,
  PROCESS_MARKER_VAR,
} from './process-tree.js';
export {
  EXECUTABLE_ENV_VAR,
  type ResolveExecutableOptions,
  resolveExecutable,
} from './resolve-executable.js';
export {
  type ClaudeProcess,
  type ExitInfo,
  type SpawnClaudeOptions,
  spawnClaude,
} from './spawn-claude.js';
export { StderrTail } from './stderr-tail.js';
