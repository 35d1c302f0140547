import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  findProcessTree,
  killProcessTree,
  newProcessMarker,
  PROCESS_MARKER_VAR,
} from '../../src/process/registry/process-tree.js';
import { eventually, isAlive } from '../helpers/integration.js';
import {
  allRunning,
  killIssuedTokens,
  noneRunning,
  processesWithArg,
  uniqueToken,
} from '../helpers/processes-with-arg.js';

afterEach(() => killIssuedTokens());

/**
 * Whether the tool carrying `token` runs `tail` itself: until then it may be `setsid` mid-exec,
 * whose environment reads as empty for a moment under load.
 */
function toolStarted(token: string): () => boolean {
  return () =>
    processesWithArg(token).some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('tail\0');
      } catch {
        return false;
      }
    });
}

/** A leader in its own group that starts a tool in another session and exits at once. */
function startLeaver(marker: string | undefined, token: string): number {
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      `setsid tail -f -s ${token} /dev/null </dev/null >/dev/null 2>&1 & exec tail -f /dev/null`,
    ],
    {
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '', ...(marker ? { [PROCESS_MARKER_VAR]: marker } : {}) },
    },
  );
  child.unref();
  return child.pid!;
}

describe('findProcessTree / killProcessTree (real processes, /proc)', () => {
  it('finds, by the marker, a process in another session that is not a descendant', async () => {
    const marker = newProcessMarker();
    const token = uniqueToken();
    const leader = startLeaver(marker, token);
    expect(await eventually(toolStarted(token), 5_000)).toBe(true);
    const [detached] = processesWithArg(token) as [number];
    const tree = findProcessTree(leader, marker);
    expect(tree).toEqual(expect.arrayContaining([leader, detached]));
    killProcessTree(leader, marker, 'SIGKILL');
    expect(await eventually(() => !isAlive(leader) && noneRunning([token])(), 2_000)).toBe(true);
  });

  it('without the marker, killing the group misses it (what the marker is for)', async () => {
    const token = uniqueToken();
    const leader = startLeaver(undefined, token);
    expect(await eventually(allRunning([token]), 5_000)).toBe(true);
    // setsid re-parents nothing yet, but the tool left the group: a group kill cannot reach it.
    process.kill(-leader, 'SIGKILL');
    expect(await eventually(() => !isAlive(leader), 2_000)).toBe(true);
    expect(processesWithArg(token)).toHaveLength(1);
  });

  it('after the leader died, finds and kills what it left behind by the marker alone', async () => {
    const marker = newProcessMarker();
    const token = uniqueToken();
    const leader = startLeaver(marker, token);
    expect(await eventually(toolStarted(token), 5_000)).toBe(true);
    process.kill(leader, 'SIGKILL');
    expect(await eventually(() => !isAlive(leader), 2_000)).toBe(true);
    const [left] = processesWithArg(token) as [number];
    expect(findProcessTree(leader, marker, { rootExited: true })).toEqual([left]);
    expect(killProcessTree(leader, marker, 'SIGKILL', { rootExited: true })).toEqual([left]);
    expect(await eventually(noneRunning([token]), 2_000)).toBe(true);
  });
});
