import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { git } from './git.js';

/**
 * A run that may own worktrees, recorded in the repository's git directory
 * (`<git-common-dir>/claude-actors/runs/<run>.json`) while it runs, so that a later call can
 * tell a crashed run's worktrees (owner gone) from a live or kept one.
 *
 * @internal
 */
export interface RunMarker {
  readonly runId: string;
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: number;
}

/** Runs with worktrees active in this process: never cleaned up as stale. @internal */
export const activeRuns = new Set<string>();

/** The directory holding the run markers of the repository at `repo`. @internal */
export async function markerDir(repo: string): Promise<string> {
  const commonDir = (await git(['rev-parse', '--git-common-dir'], repo)).trim();
  return join(resolve(repo, commonDir), 'claude-actors', 'runs');
}

/** Records that `runId` (this process) owns worktrees in `repo`. @internal */
export async function writeRunMarker(repo: string, runId: string, now: number): Promise<void> {
  const dir = await markerDir(repo);
  await mkdir(dir, { recursive: true });
  const marker: RunMarker = { runId, pid: process.pid, hostname: hostname(), startedAt: now };
  await writeFile(join(dir, `${runId}.json`), JSON.stringify(marker), 'utf8');
}

/** Forgets the marker of `runId`. @internal */
export async function removeRunMarker(repo: string, runId: string): Promise<void> {
  await rm(join(await markerDir(repo), `${runId}.json`), { force: true });
}

/** Every run marker of the repository; unreadable ones are skipped. @internal */
export async function readRunMarkers(repo: string): Promise<RunMarker[]> {
  const dir = await markerDir(repo);
  const names = await readdir(dir).catch(() => [] as string[]);
  const markers: RunMarker[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    try {
      markers.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as RunMarker);
    } catch {
      // A marker cut short by a crash: its run is found again from its branches.
      markers.push({ runId: name.slice(0, -5), pid: 0, hostname: hostname(), startedAt: 0 });
    }
  }
  return markers;
}

/** Whether the run of a marker is gone: its process ended, or it is ours and not active. @internal */
export function isStale(marker: RunMarker): boolean {
  if (activeRuns.has(marker.runId)) return false;
  if (marker.hostname !== hostname()) return false;
  if (marker.pid === process.pid || marker.pid <= 0) return true;
  try {
    process.kill(marker.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
