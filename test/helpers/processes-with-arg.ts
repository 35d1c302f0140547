import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of the live (non-zombie) processes whose argv contains `token` as one whole argument.
 * Tests give their tool processes a unique argument (e.g. `sleep 100000.4711`) so that other
 * processes on the machine cannot confuse the check.
 */
export function processesWithArg(token: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!argv.includes(token)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue;
      pids.push(pid);
    } catch {
      // Exited meanwhile.
    }
  }
  return pids;
}

/** SIGKILLs every process {@link processesWithArg} finds: cleanup that runs even on failure. */
export function killProcessesWithArg(token: string): void {
  for (const pid of processesWithArg(token)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}

const issued: string[] = [];

/**
 * A number no other process on the machine has in its argv, valid as `tail -s` value (the CLI
 * refuses Bash commands that start with `sleep`). Remembered for {@link killIssuedTokens}.
 */
export function uniqueToken(): string {
  const value = `${100_000 + Math.floor(Math.random() * 900_000)}.${process.pid}${issued.length}`;
  issued.push(value);
  return value;
}

/** Kills every process carrying a token issued so far: call it in `afterEach`. */
export function killIssuedTokens(): void {
  for (const token of issued.splice(0)) killProcessesWithArg(token);
}

/**
 * A Bash command that starts tool processes which never end: one in the foreground (the tool
 * call never returns), one backgrounded in the tool's group, one in a session of its own
 * (`setsid`), one in a session of its own that ignores SIGTERM, SIGINT and SIGHUP. The
 * background ones are re-parented to init once their shell dies. `all` holds
 * their tokens, for {@link processesWithArg}.
 */
export function neverEndingTools(): { command: string; all: string[] } {
  const foreground = uniqueToken();
  const background = uniqueToken();
  const detached = uniqueToken();
  const stubborn = uniqueToken();
  const command = [
    `tail -f -s ${background} /dev/null </dev/null >/dev/null 2>&1 &`,
    `setsid tail -f -s ${detached} /dev/null </dev/null >/dev/null 2>&1 &`,
    // Ignored signals stay ignored across exec: only SIGKILL ends this one.
    `setsid sh -c 'trap "" TERM INT HUP; exec tail -f -s ${stubborn} /dev/null' </dev/null >/dev/null 2>&1 &`,
    `tail -f -s ${foreground} /dev/null`,
  ].join('\n');
  return { command, all: [foreground, background, detached, stubborn] };
}

/** Whether each token is carried by exactly one live process. */
export const allRunning = (tokens: readonly string[]) => (): boolean =>
  tokens.every((token) => processesWithArg(token).length === 1);

/** Whether no live process carries any of the tokens. */
export const noneRunning = (tokens: readonly string[]) => (): boolean =>
  tokens.every((token) => processesWithArg(token).length === 0);
