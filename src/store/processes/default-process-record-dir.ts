import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * Where the default process registry keeps its files: `$XDG_STATE_HOME/claude-actors/processes`
 * when `XDG_STATE_HOME` is set, else `<os.tmpdir()>/claude-actors-<uid>/processes`. A temporary
 * folder fits: a record only matters until the next reboot, which no process survives.
 */
export function defaultProcessRecordDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const state = env.XDG_STATE_HOME;
  if (state?.startsWith('/')) return join(state, 'claude-actors', 'processes');
  const user = process.getuid?.() ?? userInfo().username;
  return join(tmpdir(), `claude-actors-${user}`, 'processes');
}
