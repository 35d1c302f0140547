import { randomBytes } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { safeValidate } from '../../core/validation/validate.js';
import { StoreError } from '../errors/store-error.js';
import { defaultProcessRecordDir } from './default-process-record-dir.js';
import { type ProcessRecord, ProcessRecordSchema } from './process-record.js';
import type { ProcessRecordStore } from './process-record-store.js';

/** Options of {@link createFileProcessRecordStore}. */
export interface FileProcessRecordStoreOptions {
  /**
   * The folder of the records, created (mode 0700) when missing. It must belong to this user
   * and be writable by nobody else: whoever can write a record can make a host kill a process.
   * @defaultValue {@link defaultProcessRecordDir}
   */
  readonly dir?: string;
}

/** How old a temporary file must be before a listing takes it for a leftover of a crash. */
const STALE_TEMP_MS = 60_000;
const RECORD_FILE = /^\d+-\d+\.json$/;

/**
 * A {@link ProcessRecordStore} that needs no SQLite: one small JSON file per CLI
 * (`<pid>-<startTime>.json`), written to a temporary name and renamed, so a reader never sees
 * half a record. Not synced to disk: a record must outlive its host's process, not the machine
 * (a power loss ends the CLIs too). The default registry of every runtime without a store.
 *
 * @throws {@link StoreError} `STORE_FAILED` (from each method) when the folder cannot be made,
 *   is not a folder, belongs to another user or is writable by others.
 * @example
 * ```ts
 * const runtime = createRuntime({
 *   processes: { registry: createFileProcessRecordStore({ dir: '/var/run/my-app/cli' }) },
 * });
 * ```
 */
export function createFileProcessRecordStore(
  options: FileProcessRecordStoreOptions = {},
): ProcessRecordStore {
  const dir = options.dir ?? defaultProcessRecordDir();
  let checked = false;
  const ready = (): string => {
    if (!checked) {
      // The default's parent is ours too (`claude-actors-<uid>` in a shared /tmp).
      if (options.dir === undefined) ensurePrivateDir(dirname(dir));
      ensurePrivateDir(dir);
      checked = true;
    }
    return dir;
  };
  const fileOf = (pid: number, startTime: number): string =>
    join(ready(), `${pid}-${startTime}.json`);

  const readAll = (): ProcessRecord[] => {
    const folder = ready();
    const records: ProcessRecord[] = [];
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (name.endsWith('.tmp')) {
        removeIfOlder(path, STALE_TEMP_MS);
        continue;
      }
      if (!RECORD_FILE.test(name)) continue;
      const record = readRecord(path);
      // Unreadable or edited into something else: no use to anyone, and never a reason to kill.
      if (record) records.push(record);
      else rmSync(path, { force: true });
    }
    return records.sort((a, b) => a.recordedAt - b.recordedAt);
  };

  return {
    kind: 'files',
    record: async (record) => {
      const path = fileOf(record.pid, record.startTime);
      const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        writeFileSync(temp, JSON.stringify(record), { mode: 0o600 });
        renameSync(temp, path);
      } catch (error) {
        rmSync(temp, { force: true });
        throw failed(dir, 'write a process record in', error);
      }
    },
    remove: async (pid, startTime) => {
      rmSync(fileOf(pid, startTime), { force: true });
    },
    listByHost: async (hostPid, hostStartTime) =>
      readAll().filter((r) => r.hostPid === hostPid && r.hostStartTime === hostStartTime),
    list: async () => readAll(),
  };
}

function readRecord(path: string): ProcessRecord | undefined {
  try {
    const parsed = safeValidate(ProcessRecordSchema, JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function removeIfOlder(path: string, ageMs: number): void {
  try {
    if (Date.now() - statSync(path).mtimeMs > ageMs) rmSync(path, { force: true });
  } catch {
    // Renamed or removed meanwhile: its writer finished.
  }
}

/** Creates `dir` (0700) when missing, then insists that it is a private folder of this user. */
function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw failed(dir, 'create the process registry folder', error);
  }
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  const problem = !stat.isDirectory()
    ? 'is not a folder (a symbolic link?)'
    : uid !== undefined && stat.uid !== uid
      ? `belongs to uid ${stat.uid}, not to this user (${uid})`
      : (stat.mode & 0o022) !== 0
        ? `is writable by others (mode ${(stat.mode & 0o777).toString(8)})`
        : undefined;
  if (problem) {
    throw new StoreError(
      'STORE_FAILED',
      `The process registry folder ${dir} ${problem}: a record there could make claude-actors ` +
        'kill a process. Remove it, or choose another folder (`processes.registry`).',
      { location: dir },
    );
  }
}

function failed(dir: string, what: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError('STORE_FAILED', `Cannot ${what} ${dir}: ${message}`, {
    location: dir,
    cause: error,
  });
}
