import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OutputPathError } from './errors/output-path-error.js';
import { openInside } from './open-inside.js';

let sequence = 0;

/**
 * Writes `text` to `file` inside `root` so that a reader sees the old file or the new one,
 * never a part: into a temporary file beside it (`.<name>.<pid>-<n>.tmp`, opened with
 * {@link openInside}'s checks), then renamed over it. A rename replaces a link in the way
 * rather than writing through it.
 *
 * @returns The path written (under `root` as given).
 * @throws {@link OutputPathError} for a path {@link openInside} refuses, or a directory in the
 *   file's place; the temporary file is removed.
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
    await rename(opened.path, target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EISDIR' || error.code === 'ENOTEMPTY' || error.code === 'EEXIST') {
        throw new OutputPathError(file, 'it is a directory', taskId);
      }
      throw error;
    });
    return target;
  } catch (error) {
    await rm(opened.path, { force: true });
    throw error;
  }
}
