import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { StoreError } from '../../src/store/errors/store-error.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import { captureIo } from './capture.js';

// Lets a test make better-sqlite3 "fail to load", as on a Node.js it was not built for.
const driver = vi.hoisted(() => ({ unavailable: false }));
vi.mock('../../src/store/sqlite/load-sqlite-driver.js', async (original) => {
  const real = await original<typeof import('../../src/store/sqlite/load-sqlite-driver.js')>();
  return {
    ...real,
    loadSqliteDriver: () => {
      if (driver.unavailable) {
        throw new StoreError('STORE_UNAVAILABLE', 'The SQLite store needs better-sqlite3.');
      }
      return real.loadSqliteDriver();
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'run-command-store-'));
const plan = join(dir, 'plan.json');
writeFileSync(plan, JSON.stringify({ name: 'one', tasks: [{ id: 'a', prompt: 'hello' }] }));
afterEach(() => {
  driver.unavailable = false;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('claude-actors run with a journal', () => {
  it.each([
    [['--no-store', '--resume'], '--resume needs the journal: drop --no-store'],
    [['--no-store', '--store', 'x.db'], '--no-store and --store contradict each other: give one'],
    [['--reconcile'], '--reconcile needs --resume'],
    [['--keep-failed'], '--keep-failed needs --resume'],
    [
      ['--resume=no spaces'],
      '--resume: expected a run id (up to 64 letters, digits, `_` and `-`), got "no spaces"',
    ],
  ])('refuses %j before running anything: %s', async (args, problem) => {
    const { io, err } = captureIo();
    const out = join(dir, 'never');
    expect(await runCommand([plan, '-o', out, ...args], io)).toBe(2);
    expect(err()).toContain(`claude-actors: ${problem}\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('journals the run in <output>/store.db; --resume=<id> of a finished run runs nothing again', async () => {
    const out = join(dir, 'out');
    const first = captureIo();
    expect(await runCommand([plan, '-o', out], first.io)).toBe(0);
    const runId = /Run (\S+), journalled in .*store\.db \(after a crash: --resume=\1\)/.exec(
      first.out(),
    )?.[1];
    expect(runId).toBeDefined();
    const second = captureIo();
    expect(await runCommand([plan, '-o', out, `--resume=${runId}`], second.io)).toBe(0);
    expect(second.out()).toContain(`Resuming run ${runId}, journalled in`);
    const store = openSqliteStore(join(out, 'store.db'));
    try {
      expect(await store.runs.getRun(runId!)).toMatchObject({ status: 'succeeded', resumes: 1 });
      // Kept from the journal: one run of the task, ever.
      expect((await store.runs.tasks(runId!))[0]).toMatchObject({
        status: 'succeeded',
        attempts: 1,
      });
      // The run's sessions are in the same store.
      expect((await store.sessions.list({})).total).toBe(1);
    } finally {
      await store.close();
    }
    // Given only the journal, a resume writes beside it (`<output>/store.db`), not elsewhere.
    const third = captureIo();
    const storeFile = join(out, 'store.db');
    expect(await runCommand([plan, '--store', storeFile, `--resume=${runId}`], third.io)).toBe(0);
    expect(third.out()).toContain(`Outputs go to ${out}/`);
  }, 90_000);

  it('without the SQLite driver: a default journal is dropped with one warning, an asked one fails', async () => {
    driver.unavailable = true;
    const asked = captureIo();
    expect(await runCommand([plan, '-o', join(dir, 'asked'), '--resume'], asked.io)).toBe(2);
    expect(asked.err()).toContain('The SQLite store needs better-sqlite3.');
    expect(asked.out()).toBe('');
    const fallback = captureIo();
    expect(await runCommand([plan, '-o', join(dir, 'fallback')], fallback.io)).toBe(0);
    expect(fallback.err().match(/warning: no run journal/g)).toHaveLength(1);
    expect(fallback.out()).toContain('1 succeeded');
    expect(existsSync(join(dir, 'fallback', 'store.db'))).toBe(false);
  }, 60_000);
});
