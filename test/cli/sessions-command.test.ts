import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../src/cli/dispatch.js';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { sessionsCommand } from '../../src/cli/sessions-command.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import { sessionRecord } from '../store/sessions/session-record-fixture.js';
import { captureIo } from './capture.js';

const NOW = Date.UTC(2026, 11, 3, 12);
const day = (d: number, h = 0): number => Date.UTC(2026, 11, d, h);

let dir: string;
let file: string;
beforeEach(async () => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  dir = mkdtempSync(join(tmpdir(), 'ca-sessions-cli-'));
  file = join(dir, 'store.db');
  const store = openSqliteStore(file);
  await store.sessions.put(
    sessionRecord({
      id: 'old',
      tags: ['nightly'],
      createdAt: Date.UTC(2026, 9, 1),
      updatedAt: Date.UTC(2026, 9, 1),
      costUsd: 0.05,
      firstPrompt: 'Fix the flaky test',
    }),
  );
  await store.sessions.put(
    sessionRecord({
      id: 'dec1',
      tags: ['docs', 'nightly'],
      createdAt: day(1, 23),
      updatedAt: day(1, 23),
      costUsd: 0.25,
      firstPrompt: 'Write the release notes',
    }),
  );
  await store.sessions.put(
    sessionRecord({
      id: 'dec2',
      kind: 'session',
      status: 'failed',
      errorCode: 'API_ERROR',
      createdAt: day(2),
      updatedAt: day(2, 1),
      costUsd: 1.5,
      firstPrompt: 'Refactor the parser',
    }),
  );
  await store.close();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const { io, out, err } = captureIo();
  const code = await sessionsCommand([...args, '--store', file], io);
  return { code, out: out(), err: err() };
}

async function listIds(...args: string[]): Promise<string[]> {
  const { code, out, err } = await run('list', '--json', ...args);
  expect({ code, err }).toEqual({ code: 0, err: '' });
  return JSON.parse(out).sessions.map((s: { id: string }) => s.id);
}

describe('claude-actors sessions list', () => {
  it('prints a table, newest first, and how many matched', async () => {
    const { code, out } = await run('list');
    expect(code).toBe(EXIT_CODES.ok);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CREATED \(UTC\)\s+KIND\s+STATUS\s+TURNS\s+COST\s+TAGS/);
    expect(lines.slice(2, 5).map((l) => l.split(/\s+/)[0])).toEqual(['dec2', 'dec1', 'old']);
    expect(lines[2]).toMatch(/dec2\s+2026-12-02 00:00\s+session\s+failed\s+1\s+\$1\.5000/);
    expect(lines[3]).toContain('docs,nightly');
    expect(lines.at(-1)).toBe(`1-3 of 3 session(s) (store: ${file})`);
  });

  it('filters by tag, dates, cost and prompt text, and pages', async () => {
    expect(await listIds('--tag', 'nightly')).toEqual(['dec1', 'old']);
    expect(await listIds('--since', '2026-12-01')).toEqual(['dec2', 'dec1']);
    // --until a date includes that day.
    expect(await listIds('--until', '2026-12-01')).toEqual(['dec1', 'old']);
    expect(await listIds('--since', '2026-12-01T23:30', '--until', '2026-12-02T00:00Z')).toEqual(
      [],
    );
    expect(await listIds('--min-cost', '0.1', '--max-cost', '1')).toEqual(['dec1']);
    expect(await listIds('--search', 'RELEASE')).toEqual(['dec1']);
    expect(await listIds('--kind', 'session', '--status', 'failed')).toEqual(['dec2']);
    expect(await listIds('--limit', '1', '--offset', '1')).toEqual(['dec1']);
  });

  it('says when nothing matches', async () => {
    const { code, out } = await run('list', '--tag', 'none');
    expect(code).toBe(0);
    expect(out).toBe(`no sessions match (store: ${file})\n`);
  });
});

describe('claude-actors sessions show, rm, cleanup', () => {
  it('shows one session, as text or JSON', async () => {
    const text = await run('show', 'dec2');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^id\s+dec2$/m);
    expect(text.out).toMatch(/^status\s+failed \(API_ERROR\)$/m);
    expect(text.out).toMatch(/^cost\s+\$1\.5000$/m);
    expect(text.out).toMatch(/first prompt:\nRefactor the parser\n$/);
    const json = await run('show', 'dec2', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ id: 'dec2', kind: 'session', costUsd: 1.5 });
  });

  it('fails (exit 1) to show a session that is not in the store', async () => {
    const { code, err } = await run('show', 'nope');
    expect(code).toBe(EXIT_CODES.failed);
    expect(err).toContain('no session `nope` in the store');
  });

  it('removes sessions and fails (exit 1) for the ids it did not find', async () => {
    const { code, out, err } = await run('rm', 'dec1', 'nope', 'old');
    expect(code).toBe(EXIT_CODES.failed);
    expect(out).toBe('removed dec1\nremoved old\n');
    expect(err).toContain('no session `nope`');
    expect(await listIds()).toEqual(['dec2']);
  });

  it('cleans up the sessions last written longer ago than --older-than', async () => {
    const { code, out } = await run('cleanup', '--older-than', '30d');
    expect(code).toBe(0);
    expect(out).toBe('removed 1 session(s) last written before 2026-11-03T12:00:00.000Z\n');
    expect(await listIds()).toEqual(['dec2', 'dec1']);
    // dec1 was written 36.5 h before now, dec2 35 h: 36h removes only dec1.
    expect((await run('cleanup', '--older-than', '36h')).out).toMatch(/^removed 1 /);
    expect(await listIds()).toEqual(['dec2']);
  });
});

describe('claude-actors sessions: bad input', () => {
  it.each([
    [
      ['list', '--since', '2026-13-01'],
      '--since: expected a date (YYYY-MM-DD) or an ISO date and time, got "2026-13-01"',
    ],
    [['list', '--until', 'yesterday'], '--until: expected a date'],
    [
      ['list', '--min-cost=-0.1'],
      '--min-cost: expected a non-negative amount of USD such as 0.5, got "-0.1"',
    ],
    [['list', '--max-cost', 'lots'], '--max-cost: expected a non-negative amount of USD'],
    [['list', '--kind', 'task'], '--kind: expected one of query, session, got "task"'],
    [['list', '--status', 'ok'], '--status: expected one of running, succeeded'],
    [['list', '--limit', '0'], '--limit: expected an integer from 1 to 10000, got "0"'],
    [['list', '--since', '2026-12-05', '--until', '2026-12-01'], 'is not before --until'],
    [['list', '--older-than', '3d'], '--older-than: not a flag of `sessions list`'],
    [['list', 'extra'], '`sessions list` takes no operand, got "extra"'],
    [['list', '--tagg', 'x'], "unknown flag '--tagg' (did you mean --tag?)"],
    [['lst'], 'unknown action `lst` (did you mean `list`?)'],
    [[], 'give an action: list, show, rm, cleanup'],
    [['show'], '`sessions show` takes one session id, got 0'],
    [['show', 'a', '--tag', 'x'], '--tag: not a flag of `sessions show`'],
    [['rm'], '`sessions rm` takes one or more session ids'],
    [['cleanup'], '`sessions cleanup` needs --older-than AGE'],
    [
      ['cleanup', '--older-than', '30 days'],
      '--older-than: expected a duration such as 30d, 12h, 45m, 90s or 2w, got "30 days"',
    ],
  ])('refuses %j with exit 2, naming the flag and the value', async (args, message) => {
    const { code, err, out } = await run(...args);
    expect(code).toBe(EXIT_CODES.usage);
    expect(err).toContain(message);
    expect(err).toContain('Usage: claude-actors sessions');
    expect(out).toBe('');
  });

  it('refuses a store file that does not exist, and does not create it', async () => {
    const missing = join(dir, 'nested', 'none.db');
    const { io, err } = captureIo();
    expect(await sessionsCommand(['list', '--store', missing], io)).toBe(EXIT_CODES.usage);
    expect(err()).toContain(`no store at ${missing}`);
    expect(existsSync(join(dir, 'nested'))).toBe(false);
  });

  it("fails (exit 1) with the store's own message when the file is not a store", async () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'plain text, not a database\n'.repeat(50));
    const { io, err } = captureIo();
    expect(await sessionsCommand(['list', '--store', notes], io)).toBe(EXIT_CODES.failed);
    expect(err()).toContain(`Cannot open the store ${notes}`);
  });

  it('is listed in the top-level help and dispatched', async () => {
    const { io, out } = captureIo();
    expect(await dispatch(['--help'], io)).toBe(0);
    expect(out()).toContain('claude-actors sessions <list|show|rm|cleanup> [id…] [flags]');
    const shown = captureIo();
    expect(await dispatch(['sessions', 'show', 'dec1', '--store', file], shown.io)).toBe(0);
    expect(shown.out()).toMatch(/^id\s+dec1$/m);
  });
});
