import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import { loadSqliteDriver } from '../../src/store/sqlite/load-sqlite-driver.js';
import {
  WRITER_MAX_BATCH,
  WRITER_RUN,
  WRITER_TASKS,
  writerBatchSize,
  writerTaskId,
  writerTransition,
} from '../fixtures/durable/writer-transition.js';
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
  it(`keeps every committed journal transition, whole, after ${KILLS} kills at random points`, async () => {
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
          await writer.waitForLine(
            (line) => line.startsWith('committed ') && Number(line.slice(10)) >= from + commits - 1,
          );
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
      const log = await store.runs.transitions(WRITER_RUN);
      const tasks = await store.runs.tasks(WRITER_RUN);
      await store.close();
      const why = history.join('\n');
      // The run is journalled whole (its tasks and their `created` entries) or not at all.
      if (log.length === 0) expect(tasks, why).toEqual([]);
      else
        expect(
          tasks.map((t) => t.taskId),
          why,
        ).toEqual(Array.from({ length: WRITER_TASKS }, (_, k) => writerTaskId(k)));
      const created = log.filter((entry) => entry.event === 'created');
      expect(created.length, why).toBe(tasks.length);
      const written = log.filter((entry) => entry.event !== 'created');
      // Every transition that returned is there; at most the write in flight at the kill too,
      // whole: the log ends at the end of a write (a batch is all there or not at all).
      expect(written.length, why).toBeGreaterThanOrEqual(last + 1);
      expect(written.length, why).toBeLessThanOrEqual(last + 1 + WRITER_MAX_BATCH);
      let boundary = from;
      while (boundary < written.length) boundary += writerBatchSize(boundary);
      expect(boundary, `${why}\nthe log ends inside a batch`).toBe(written.length);
      // In order, contiguous from 0, each as written.
      written.forEach((entry, n) => {
        const { taskId, event, snapshot } = writerTransition(n);
        expect(entry, why).toMatchObject({
          taskId,
          event,
          at: n,
          status: snapshot.status,
          attempts: snapshot.attempts,
          sessionId: snapshot.sessionId,
          costUsd: snapshot.costUsd,
        });
      });
      // No half transition: each task's row is the snapshot of its last logged transition.
      for (const task of tasks) {
        const lastOfTask = written.filter((entry) => entry.taskId === task.taskId).at(-1);
        if (!lastOfTask) {
          expect(task.status, why).toBe('pending');
          continue;
        }
        expect(task, why).toMatchObject(writerTransition(lastOfTask.at).snapshot);
      }
      next = written.length;
    }
    // The kills fell mid-run, not only before the first write.
    expect(next, history.join('\n')).toBeGreaterThan(KILLS * 10);
  }, 60_000);
});
