import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** `.<name>.<pid>-<n>.tmp`: a temporary file of `writeInsideAtomically`. */
const TEMP_FILE = /^\..+\.(\d+)-\d+\.tmp$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that writers killed mid-write (`writeInsideAtomically` of a host
 * SIGKILLed between its write and its rename) left in `dirs`: those named after a process that
 * is gone. A missing folder is skipped.
 *
 * @returns The paths removed.
 */
export async function removeStaleTempFiles(dirs: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const pid = TEMP_FILE.exec(name)?.[1];
      if (pid === undefined || Number(pid) === process.pid || alive(Number(pid))) continue;
      await rm(join(dir, name), { force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}
