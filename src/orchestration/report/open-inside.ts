import { constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, realpath, rm, rmdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { OutputPathError } from './errors/output-path-error.js';
import { outputPathProblem } from './output-path-problem.js';

/** What {@link openInside} opened. */
export interface OpenedInside {
  /** The path opened (under `root` as given). */
  readonly path: string;
  /** The open file, not yet truncated (nothing is written before every file is open). */
  readonly handle: FileHandle;
  /** The real paths this call created, in order (directories on the way, then the file). */
  readonly created: readonly string[];
}

/**
 * Opens `file` (relative to `root`) for writing, refusing anything that could end up outside
 * `root` or never return: a name {@link outputPathProblem} rejects, a resolved path outside the
 * real (symlink-free) root, a symlink among the directories on the way (each is created one by
 * one, never through a link), a symlink as the file itself (`O_NOFOLLOW`), and anything that is
 * not a regular file with a single link: a named pipe would block the open forever (it is opened
 * `O_NONBLOCK`, then checked with `fstat`), a hard link would write to a file elsewhere.
 *
 * @param root - The output directory; must exist.
 * @param taskId - Whose output it is, for the error message.
 * @returns The open file, not truncated, and what was created for it (to undo on failure).
 * @throws {@link OutputPathError} for a path that would escape `root` or is not a plain file; on
 *   a throw, whatever this call created is removed again.
 */
export async function openInside(
  root: string,
  file: string,
  taskId?: string,
): Promise<OpenedInside> {
  const refuse = (reason: string): OutputPathError => new OutputPathError(file, reason, taskId);
  const problem = outputPathProblem(file);
  if (problem) throw refuse(problem);
  const realRoot = await realpath(root);
  const target = resolve(realRoot, file);
  const inside = relative(realRoot, target);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw refuse(`it resolves outside the output directory ${realRoot}`);
  }
  const created: string[] = [];
  try {
    const parts = inside.split(sep);
    let dir = realRoot;
    for (const part of parts.slice(0, -1)) {
      dir = join(dir, part);
      const seen = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (seen === undefined) {
        if (await mkdir(dir).then(() => true, ignoreExists)) created.push(dir);
      } else if (seen.isSymbolicLink() || !seen.isDirectory()) {
        throw refuse(`\`${relative(realRoot, dir)}\` is not a plain directory`);
      }
    }
    // The directories may have changed under us: the real parent must still be inside.
    const realDir = await realpath(dir);
    if (realDir !== realRoot && !realDir.startsWith(realRoot + sep)) {
      throw refuse(`it resolves outside the output directory ${realRoot}`);
    }
    const path = join(realDir, parts.at(-1)!);
    const handle = await openPlainFile(path, created, refuse);
    return { path: resolve(root, inside), handle, created };
  } catch (error) {
    await removeCreated(created);
    throw error;
  }
}

/**
 * Removes what {@link openInside} created, last first (the file, then its directories); a
 * directory something else has written into since is left alone.
 */
export async function removeCreated(created: readonly string[]): Promise<void> {
  for (const path of [...created].reverse()) {
    await rm(path, { force: true }).catch(() => rmdir(path).catch(() => undefined));
  }
}

const BASE_FLAGS = constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Opens `path` without following a link or blocking, and checks it is a plain file. */
async function openPlainFile(
  path: string,
  created: string[],
  refuse: (reason: string) => OutputPathError,
): Promise<FileHandle> {
  const fail = (error: NodeJS.ErrnoException): never => {
    if (error.code === 'ELOOP') throw refuse('it is a symbolic link');
    // A named pipe without a reader (ENXIO), a directory (EISDIR): never a file to write.
    if (error.code === 'ENXIO' || error.code === 'EISDIR') throw refuse(NOT_A_FILE);
    throw error;
  };
  // A new file first (so it can be removed on failure), else the one already there.
  let handle = await open(path, BASE_FLAGS | constants.O_CREAT | constants.O_EXCL, 0o644).catch(
    (error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? undefined : fail(error)),
  );
  if (handle) created.push(path);
  else handle = await open(path, BASE_FLAGS).catch(fail);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refuse(NOT_A_FILE);
    if (stats.nlink > 1) {
      throw refuse(`it has ${stats.nlink} hard links (writing would change a file elsewhere)`);
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

const NOT_A_FILE = 'it is not a regular file (a named pipe, a device or a directory)';

function ignoreExists(error: NodeJS.ErrnoException): false {
  if (error.code !== 'EEXIST') throw error;
  return false;
}
