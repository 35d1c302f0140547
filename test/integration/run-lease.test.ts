import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logging/create-logger.js';
import { RunOwnedError } from '../../src/orchestration/task-queue/errors/run-owned-error.js';
import { runTaskQueue } from '../../src/orchestration/task-queue/run-task-queue.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { LEASE_PLAN } from '../fixtures/durable/lease-plan.js';
import { type KillableChild, startChild } from '../helpers/killable-child.js';
import { fakeQueryRuntime } from '../orchestration/task-queue/fake-query-runtime.js';

const holder = fileURLToPath(new URL('../fixtures/durable/lease-holder.ts', import.meta.url));
const claimer = fileURLToPath(new URL('../fixtures/durable/lease-claimer.ts', import.meta.url));

let dir: string | undefined;
const children: KillableChild[] = [];
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()));
  await Promise.all(stores.splice(0).map((store) => store.close()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('run ownership across processes', () => {
  it('refuses a run a live process holds, and takes it over at once when that process is SIGKILLed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ca-lease-'));
    const path = join(dir, 'store.db');
    const child = startChild(holder, { STORE_PATH: path, RUN_ID: 'r1' });
    children.push(child);
    await child.waitForLine((line) => line === 'holding');
    const store = openSqliteStore(path);
    stores.push(store);

    const refused = runTaskQueue(fakeQueryRuntime().runtime, LEASE_PLAN, { store, resume: true });
    const error = await refused.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunOwnedError);
    expect(error).toMatchObject({ runId: 'r1', owner: { pid: child.pid, hostname: hostname() } });
    expect((error as Error).message).toContain(`owned by pid ${child.pid} on ${hostname()}`);

    await child.kill();
    // Its lease has ~30 s left, but its pid is dead: taken over now.
    const lease = await store.runs.getLease('r1');
    expect(lease!.expiresAt).toBeGreaterThan(Date.now() + 20_000);
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn' }, { write: (l: string) => lines.push(l) });
    const fake = fakeQueryRuntime();
    const summary = await runTaskQueue(fake.runtime, LEASE_PLAN, { store, resume: true, logger })
      .result;
    expect(summary.status).toBe('succeeded');
    expect(fake.queries.map((q) => q.taskId)).toEqual(['a', 'b']);
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({
        why: 'dead',
        previousOwner: expect.objectContaining({ pid: child.pid }),
      }),
    );
    expect(await store.runs.getLease('r1')).toBeUndefined();
  });

  it('lets exactly one of two processes racing on one file take over each expired run', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ca-lease-race-'));
    const path = join(dir, 'store.db');
    const rounds = 10;
    const store = openSqliteStore(path);
    stores.push(store);
    for (let k = 0; k < rounds; k++) {
      const runId = `race-${k}`;
      await store.runs.createRun({
        runId,
        planKey: 'race',
        planName: 'race',
        planHash: 'h',
        at: 0,
        options: {},
        tasks: [{ taskId: 'a', hash: 'ha' }],
      });
      await store.runs.claimLease({
        runId,
        token: `silent-${k}`,
        owner: {
          pid: 1,
          startTime: 1,
          bootId: 'elsewhere',
          pidNamespace: undefined,
          hostname: 'a-machine-gone-silent',
        },
        at: 0,
        expiresAt: 1,
        expected: undefined,
      });
    }
    // Both start their rounds at the same wall-clock time, once both have loaded.
    const env = { STORE_PATH: path, ROUNDS: String(rounds), GO_AT: String(Date.now() + 4_000) };
    const racers = [startChild(claimer, env), startChild(claimer, env)];
    children.push(...racers);
    await Promise.all(racers.map((racer) => racer.waitForLine((line) => line === 'done')));
    for (let k = 0; k < rounds; k++) {
      const winners = racers.filter((racer) => racer.lines.includes(`won race-${k}`));
      const losers = racers.filter((racer) => racer.lines.includes(`owned race-${k}`));
      expect([winners.length, losers.length], `race-${k}`).toEqual([1, 1]);
      expect((await store.runs.getLease(`race-${k}`))?.owner.pid).toBe(winners[0]!.pid);
    }
  });
});
