import { lstat, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OutputPathError } from './errors/output-path-error.js';
import { openInside } from './open-inside.js';

let sequence = 0;

/**
 * Writes `text` to `file` inside `root` so that a reader sees the old file or the new one,
 * never a part: into a temporary file beside it (`.<name>.<pid>-<n>.tmp`, opened with
 * {@link openInside}'s checks), then renamed over it. What is in the file's place must be a
 * plain file with one link, as {@link openInside} demands: a symbolic link, a hard link, a
 * named pipe or a directory planted there is refused, not replaced.
 *
 * @returns The path written (under `root` as given).
 * @throws {@link OutputPathError} for a path {@link openInside} refuses, or anything but a
 *   plain file in the file's place; the temporary file is removed.
 */
export async function writeInsideAtomically(
  root: string,
  file: string,
  text: string,
  taskId?: string,
): Promise<string> {
  const slash = file.lastIndexOf('/');
  const temp = `${file.slice(0, slash + 1)}.${file.slice(slash + 1)}.${process.pid}-${++sequence}.tmp`;
  const opened = await openInside(root, temp, taskId);
  const target = join(dirname(opened.path), file.slice(slash + 1));
  try {
    try {
      await opened.handle.writeFile(text, 'utf8');
    } finally {
      await opened.handle.close();
    }
    const there = await lstat(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const refuse = (reason: string) => new OutputPathError(file, reason, taskId);
    if (there?.isSymbolicLink()) throw refuse('it is a symbolic link');
    if (there?.isDirectory()) throw refuse('it is a directory');
    if (there && !there.isFile()) {
      throw refuse('it is not a regular file (a named pipe, a device or a directory)');
    }
    if (there && there.nlink > 1) {
      throw refuse(`it has ${there.nlink} hard links (writing would change a file elsewhere)`);
    }
    await rename(opened.path, target);
    return target;
  } catch (error) {
    await rm(opened.path, { force: true });
    throw error;
  }
}
