import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A file only the host's user can read, holding what must not show on a command line. */
export interface PrivateFile {
  readonly path: string;
  readonly content: string;
}

let hostDir: string | undefined;
const users = new Map<string, number>();

function dir(): string {
  if (hostDir) return hostDir;
  const path = join(tmpdir(), `claude-actors-${process.pid}-${randomBytes(6).toString('hex')}`);
  mkdirSync(path, { mode: 0o700 });
  hostDir = path;
  // Whatever is left when the host exits normally goes with it (a SIGKILLed host leaves the
  // folder, readable by its user only).
  process.once('exit', () => rmSync(path, { recursive: true, force: true }));
  return path;
}

/**
 * The private file that will hold `content`: named by its hash, so that equal contents share a
 * path (two queries with the same MCP config have equal argv, and can use each other's
 * pre-started process), in a folder of this host only (0700). Nothing is written yet.
 */
export function privateFileFor(content: string, extension = '.json'): PrivateFile {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 32);
  return { path: join(dir(), `${hash}${extension}`), content };
}

/**
 * Writes `files` (mode 0600) for a process about to start; the returned function, called once
 * the process has exited, removes each file no other running process still uses.
 */
export function acquirePrivateFiles(files: readonly PrivateFile[] | undefined): () => void {
  if (!files || files.length === 0) return () => {};
  for (const file of files) {
    const count = users.get(file.path) ?? 0;
    if (count === 0) writeFileSync(file.path, file.content, { mode: 0o600 });
    users.set(file.path, count + 1);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const file of files) {
      const count = (users.get(file.path) ?? 1) - 1;
      if (count > 0) {
        users.set(file.path, count);
        continue;
      }
      users.delete(file.path);
      rmSync(file.path, { force: true });
    }
  };
}
