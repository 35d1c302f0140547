import { constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { OutputPathError } from './errors/output-path-error.js';
import { outputPathProblem } from './output-path-problem.js';

/**
 * Opens `file` (relative to `root`) for writing, refusing anything that could end up outside
 * `root`: a name {@link outputPathProblem} rejects, a resolved path outside the real (symlink-
 * free) root, a symlink among the directories on the way (each is created one by one, never
 * through a link), or a symlink as the file itself (`O_NOFOLLOW`).
 *
 * @param root - The output directory; must exist.
 * @param taskId - Whose output it is, for the error message.
 * @returns The path written (under `root` as given) and the open file, truncated.
 * @throws {@link OutputPathError} for a path that would escape `root`.
 */
export async function openInside(
  root: string,
  file: string,
  taskId?: string,
): Promise<{ path: string; handle: FileHandle }> {
  const refuse = (reason: string): OutputPathError => new OutputPathError(file, reason, taskId);
  const problem = outputPathProblem(file);
  if (problem) throw refuse(problem);
  const realRoot = await realpath(root);
  const target = resolve(realRoot, file);
  const inside = relative(realRoot, target);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw refuse(`it resolves outside the output directory ${realRoot}`);
  }
  const parts = inside.split(sep);
  let dir = realRoot;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const seen = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (seen === undefined) await mkdir(dir).catch(ignoreExists);
    else if (seen.isSymbolicLink() || !seen.isDirectory()) {
      throw refuse(`\`${relative(realRoot, dir)}\` is not a plain directory`);
    }
  }
  // The directories may have changed under us: the real parent must still be inside.
  const realDir = await realpath(dir);
  if (realDir !== realRoot && !realDir.startsWith(realRoot + sep)) {
    throw refuse(`it resolves outside the output directory ${realRoot}`);
  }
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
  const handle = await open(join(realDir, parts.at(-1)!), flags, 0o644).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ELOOP') throw refuse('it is a symbolic link');
      throw error;
    },
  );
  return { path: resolve(root, inside), handle };
}

function ignoreExists(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}
