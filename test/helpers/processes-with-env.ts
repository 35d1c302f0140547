import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of the live (non-zombie) processes whose environment holds `entry` (`NAME=value`), e.g.
 * the CLIs pointed at one simulator (`ANTHROPIC_BASE_URL=http://127.0.0.1:<port>`). Linux only
 * (reads /proc).
 */
export function processesWithEnv(entry: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue;
      pids.push(pid);
    } catch {
      // Exited meanwhile, or not ours to read.
    }
  }
  return pids;
}
