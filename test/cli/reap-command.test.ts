import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/cli/dispatch.js';
import { processStartTime } from '../../src/process/registry/process-start-time.js';
import { hostIdentity } from '../../src/process/registry/record-process.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import { createFileProcessRecordStore } from '../../src/store/processes/file-process-record-store.js';
import type { ProcessRecordStore } from '../../src/store/processes/process-record-store.js';
import { eventually, isAlive } from '../helpers/integration.js';
import { captureIo } from './capture.js';

let dir: string;
let savedState: string | undefined;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-reap-cli-'));
  // The default registry of this test file: its own folder, not the user's.
  savedState = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = join(dir, 'state');
});
afterAll(() => {
  if (savedState === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = savedState;
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  await eventually(() => children.every((c) => !isAlive(c.pid ?? 0)), 5_000);
  children.length = 0;
});

/** A running stand-in CLI, recorded as started by a dead host (this pid, another start time). */
async function orphanIn(records: ProcessRecordStore): Promise<number> {
  const child = spawn('tail', ['-f', '-s', '1', '/dev/null'], { detached: true, stdio: 'ignore' });
  children.push(child);
  const pid = child.pid ?? 0;
  await eventually(() => processStartTime(pid) !== undefined, 2_000);
  const self = hostIdentity()!;
  await records.record({
    pid,
    startTime: processStartTime(pid)!,
    hostPid: self.pid,
    hostStartTime: self.startTime + 1,
    recordedAt: Date.now(),
  });
  return pid;
}

describe.runIf(process.platform === 'linux')('claude-actors reap', () => {
  it('with --dry-run says what it would kill and changes nothing; then kills it', async () => {
    const path = join(dir, 'store.db');
    const store = openSqliteStore(path);
    const pid = await orphanIn(store.processes);
    await store.close();

    const dry = captureIo();
    expect(await dispatch(['reap', '--store', path, '--dry-run'], dry.io)).toBe(0);
    expect(dry.out()).toBe(
      `CLI ${pid} (host ${process.pid} is gone): would kill it and 0 process(es) it started\n` +
        '1 record(s), 0 running host(s) left alone; 1 record(s) of dead hosts found, ' +
        '1 process(es) would be killed (dry run: nothing changed).\n',
    );
    expect(isAlive(pid)).toBe(true);

    const real = captureIo();
    expect(await dispatch(['reap', '--store', path], real.io)).toBe(0);
    expect(real.out()).toContain(`CLI ${pid} (host ${process.pid} is gone): killed it`);
    expect(real.out()).toContain('1 record(s) of dead hosts removed, 1 process(es) killed.');
    expect(await eventually(() => !isAlive(pid), 3_000)).toBe(true);
    const again = openSqliteStore(path);
    expect(await again.processes.list()).toEqual([]);
    await again.close();
  });

  it('reaps the default per-user folder without --store', async () => {
    const records = createFileProcessRecordStore({
      dir: join(dir, 'state', 'claude-actors', 'processes'),
    });
    const pid = await orphanIn(records);
    const { io, out, err } = captureIo();
    expect(await dispatch(['reap'], io)).toBe(0);
    expect(err()).toBe('');
    expect(out()).toContain(`CLI ${pid} (host ${process.pid} is gone): killed it`);
    expect(await eventually(() => !isAlive(pid), 3_000)).toBe(true);
    expect(await records.list()).toEqual([]);
  });

  it('says so, and exits 1, when the store cannot be opened', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not a database\n'.repeat(100));
    const { io, err } = captureIo();
    expect(await dispatch(['reap', '--store', path], io)).toBe(1);
    expect(err()).toMatch(/^claude-actors reap: Cannot open the store .*notes\.txt/);
  });

  it('refuses operands with the usage line, and is listed in the main help', async () => {
    const bad = captureIo();
    expect(await dispatch(['reap', 'now'], bad.io)).toBe(2);
    expect(bad.err()).toContain('Usage: claude-actors reap [flags]');
    const help = captureIo();
    expect(await dispatch(['--help'], help.io)).toBe(0);
    expect(help.out()).toContain('claude-actors reap ');
    expect(help.out()).toContain('--dry-run');
  });
});
