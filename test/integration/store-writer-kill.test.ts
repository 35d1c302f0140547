import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import { loadSqliteDriver } from '../../src/store/sqlite/load-sqlite-driver.js';
import { writerValue } from '../fixtures/durable/writer-value.js';
import { type KillableChild, startChild } from '../helpers/killable-child.js';
import { seededRandom, seedFromEnv } from '../helpers/seeded-random.js';

const writerScript = fileURLToPath(new URL('../fixtures/durable/store-writer.ts', import.meta.url));
const KILLS = 12;

let dir: string | undefined;
let writer: KillableChild | undefined;
afterEach(async () => {
  await writer?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The highest `committed <n>` line, or `from - 1` when none came. */
function lastCommitted(lines: readonly string[], from: number): number {
  let last = from - 1;
  for (const line of lines) {
    if (line.startsWith('committed ')) last = Math.max(last, Number(line.slice(10)));
  }
  return last;
}

describe('a store whose writer is SIGKILLed mid-write', () => {
  it(`keeps every committed write, whole, after ${KILLS} kills at random points`, async () => {
    const random = seededRandom(seedFromEnv(0x5709e));
    dir = mkdtempSync(join(tmpdir(), 'ca-writer-kill-'));
    const path = join(dir, 'store.db');
    let next = 0;
    const history: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      const from = next;
      writer = startChild(writerScript, { STORE_PATH: path, WRITER_FROM: String(from) });
      // Mostly a time after the store opened (mid-write: the loop never rests); now and then
      // a number of commits, or a time from the start that may fall while the file opens.
      const how = random.pick(['after-ready', 'after-ready', 'after-commits', 'from-spawn']);
      if (how === 'from-spawn') {
        await new Promise((resolve) => setTimeout(resolve, random.int(50, 900)));
      } else {
        await writer.waitForLine((line) => line === 'ready');
        if (how === 'after-ready') {
          await new Promise((resolve) => setTimeout(resolve, random.int(0, 150)));
        } else {
          const commits = random.int(1, 300);
          await writer.waitForLine((line) => line === `committed ${from + commits - 1}`);
        }
      }
      await writer.kill();
      const last = lastCommitted(writer.lines, from);
      history.push(`round ${round} (${how}): ${from}..${last}`);

      const db = new (loadSqliteDriver())(path);
      try {
        expect(db.pragma('integrity_check', { simple: true }), history.join('\n')).toBe('ok');
      } finally {
        db.close();
      }
      const store = openSqliteStore(path);
      const stored = await store.state.list('writer:');
      await store.close();
      // Every write that returned is there; at most the one in flight at the kill too.
      expect(stored.length, history.join('\n')).toBeGreaterThanOrEqual(last + 1);
      expect(stored.length, history.join('\n')).toBeLessThanOrEqual(last + 2);
      // Contiguous from 0 and whole (a torn page would break the body or its digest).
      stored.forEach((entry, n) => {
        expect(entry.key).toBe(`writer:${String(n).padStart(8, '0')}`);
        expect(entry.value).toEqual(writerValue(n));
      });
      next = stored.length;
    }
    // The kills fell mid-run, not only before the first write.
    expect(next, history.join('\n')).toBeGreaterThan(KILLS * 10);
  }, 60_000);
});
