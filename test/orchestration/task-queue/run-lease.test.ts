import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/core/logging/create-logger.js';
import { InvalidOptionsError } from '../../../src/core/validation/invalid-options-error.js';
import type { PlanInput } from '../../../src/orchestration/plan/plan-schema.js';
import { currentRunOwner } from '../../../src/orchestration/task-queue/current-run-owner.js';
import { ResumeRefusedError } from '../../../src/orchestration/task-queue/errors/resume-refused-error.js';
import { RunOwnedError } from '../../../src/orchestration/task-queue/errors/run-owned-error.js';
import { judgeRunLease } from '../../../src/orchestration/task-queue/judge-run-lease.js';
import { runTaskQueue } from '../../../src/orchestration/task-queue/run-task-queue.js';
import { processStartTime } from '../../../src/process/registry/process-start-time.js';
import { createMemoryStore } from '../../../src/store/create-memory-store.js';
import type { RunLease, RunOwner } from '../../../src/store/runs/run-lease.js';
import type { Store } from '../../../src/store/store.js';
import { fakeQueryRuntime } from './fake-query-runtime.js';

afterEach(() => {
  vi.useRealTimers();
});

function machineIdHere(): string | undefined {
  try {
    return readFileSync('/etc/machine-id', 'latin1').trim() || undefined;
  } catch {
    return undefined;
  }
}

const plan: PlanInput = {
  name: 'pair',
  tasks: [
    { id: 'a', prompt: 'task a' },
    { id: 'b', prompt: 'task b', dependsOn: ['a'] },
  ],
};

const self = currentRunOwner();
const otherMachine: RunOwner = { ...self, hostname: `${hostname()}-elsewhere`, bootId: 'b-2' };

/** Journals run r1 with `a` hanging, then ends that host's part (its lease left as given). */
async function journalledRun(store: Store): Promise<void> {
  const host = fakeQueryRuntime((id) => ({ hang: id === 'a' }));
  const run = runTaskQueue(host.runtime, plan, { store, runId: 'r1' });
  await run.started;
  await vi.waitFor(async () => expect((await store.runs.tasks('r1'))[0]!.status).toBe('running'));
  run.cancel();
  await run.result;
  // A host that ended normally released its lease; the run is resumable.
  expect(await store.runs.getLease('r1')).toBeUndefined();
}

/** Gives run r1 to `owner`, with a lease that lapses at `expiresAt`. */
async function holdRun(store: Store, owner: RunOwner, expiresAt: number): Promise<RunLease> {
  const lease = await store.runs.claimLease({
    runId: 'r1',
    token: 'held',
    owner,
    at: Date.now() - 1_000,
    expiresAt,
    expected: undefined,
  });
  return lease!;
}

function logLines(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  return {
    logger: createLogger({ level: 'warn' }, { write: (l: string) => lines.push(l) }),
    lines,
  };
}

describe('judgeRunLease', () => {
  const lease = (owner: RunOwner, expiresAt: number): RunLease => ({
    runId: 'r1',
    token: 't',
    owner,
    acquiredAt: 0,
    renewedAt: 0,
    expiresAt,
  });
  const now = 1_000_000;
  // A machine id of its own: the rows do not depend on the test machine having one.
  const me: RunOwner = { ...self, machineId: 'machine-1' };
  const clone: RunOwner = { ...me, bootId: 'another-boot', machineId: undefined };
  it.each([
    ['alive: this very process, even with its lease expired', me, now - 1, true, 'alive'],
    [
      'dead: this pid with another start time (reused), even with its lease fresh',
      { ...me, startTime: (self.startTime ?? 0) + 1 },
      now + 60_000,
      false,
      'dead',
    ],
    ['dead: a pid that does not run', { ...me, pid: 2 ** 22 + 7 }, now + 60_000, false, 'dead'],
    [
      'rebooted: this machine (hostname and machine id), another boot',
      { ...me, bootId: 'an-earlier-boot' },
      now + 60_000,
      false,
      'rebooted',
    ],
    ['fresh: this hostname, another boot, no machine id (a clone?)', clone, now + 1, true, 'fresh'],
    ['expired: this hostname, another boot, no machine id, lapsed', clone, now, false, 'expired'],
    [
      'fresh: this hostname, another boot and machine id (a container)',
      { ...clone, machineId: 'machine-2' },
      now + 1,
      true,
      'fresh',
    ],
    ['fresh: another machine that renewed lately', otherMachine, now + 1, true, 'fresh'],
    ['expired: another machine that went silent', otherMachine, now, false, 'expired'],
    [
      'fresh: another pid namespace here (its pids are not ours)',
      { ...me, pid: 2 ** 22 + 7, pidNamespace: 'pid:[1]' },
      now + 1,
      true,
      'fresh',
    ],
    [
      'expired: an owner without a start time',
      { ...me, startTime: undefined },
      now - 1,
      false,
      'expired',
    ],
  ] as const)('%s', (_name, owner, expiresAt, holds, why) => {
    expect(judgeRunLease(lease(owner, expiresAt), me, now)).toEqual({ holds, why });
  });

  it('reads this process by its /proc start time', () => {
    expect(self.pid).toBe(process.pid);
    expect(self.startTime).toBe(processStartTime(process.pid));
    expect(self.hostname).toBe(hostname());
    expect(self.machineId).toBe(machineIdHere());
  });
});

describe('runTaskQueue run ownership', () => {
  it('holds the run while it runs, as this process, and releases it at the end', async () => {
    const store = createMemoryStore();
    const fake = fakeQueryRuntime((id) => ({ hang: id === 'a' }));
    const run = runTaskQueue(fake.runtime, plan, { store, runId: 'r1' });
    await run.started;
    const lease = await store.runs.getLease('r1');
    expect(lease?.owner).toEqual(self);
    expect(lease!.expiresAt - lease!.acquiredAt).toBe(30_000);
    run.cancel();
    await run.result;
    expect(await store.runs.getLease('r1')).toBeUndefined();
  });

  it('refuses to resume a run whose owner is alive, naming it, and changes nothing', async () => {
    const store = createMemoryStore();
    const first = fakeQueryRuntime((id) => ({ hang: id === 'a' }));
    const live = runTaskQueue(first.runtime, plan, { store, runId: 'r1' });
    await live.started;
    await vi.waitFor(async () => expect((await store.runs.tasks('r1'))[0]!.status).toBe('running'));
    const before = { run: await store.runs.getRun('r1'), tasks: await store.runs.tasks('r1') };

    const second = fakeQueryRuntime();
    const refused = runTaskQueue(second.runtime, plan, { store, resume: true });
    const error = await refused.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunOwnedError);
    expect(error).toMatchObject({ code: 'RUN_OWNED', runId: 'r1', owner: self, pid: process.pid });
    expect((error as Error).message).toMatch(
      new RegExp(
        `Run \`r1\` is owned by pid ${process.pid} on ${hostname()} since \\d{4}-.*Z.*still running`,
      ),
    );
    expect(second.queries).toHaveLength(0);
    expect({ run: await store.runs.getRun('r1'), tasks: await store.runs.tasks('r1') }).toEqual(
      before,
    );
    // The owner runs on, unharmed.
    expect((await store.runs.getLease('r1'))?.owner).toEqual(self);
    live.cancel();
    expect((await live.result).status).toBe('cancelled');
  });

  it('takes over at once a run whose owner is dead, though its lease is fresh, and logs it', async () => {
    const store = createMemoryStore();
    await journalledRun(store);
    const dead = { ...self, startTime: (self.startTime ?? 0) + 1 };
    await holdRun(store, dead, Date.now() + 60_000);
    const { logger, lines } = logLines();
    const fake = fakeQueryRuntime();
    const summary = await runTaskQueue(fake.runtime, plan, { store, resume: true, logger }).result;
    expect(summary.status).toBe('succeeded');
    expect(fake.queries.map((q) => q.taskId)).toEqual(['a', 'b']);
    const line = lines.map((l) => JSON.parse(l)).find((l) => /taking over run r1/.test(l.msg));
    expect(line).toMatchObject({ why: 'dead', previousOwner: { pid: process.pid } });
    expect(await store.runs.getLease('r1')).toBeUndefined();
  });

  it("refuses another machine's fresh lease, takes it over once expired", async () => {
    const store = createMemoryStore();
    await journalledRun(store);
    const held = await holdRun(store, otherMachine, Date.now() + 20_000);
    const refused = await runTaskQueue(fakeQueryRuntime().runtime, plan, {
      store,
      resume: true,
    }).result.catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunOwnedError);
    expect((refused as Error).message).toMatch(
      /owned by pid \d+ on .*-elsewhere since .*: its lease was renewed 1 s ago and holds until /,
    );
    // The other machine goes silent past its lease.
    await store.runs.renewLease('r1', held.token, Date.now() - 40_000, Date.now() - 1);
    const summary = await runTaskQueue(fakeQueryRuntime().runtime, plan, { store, resume: true })
      .result;
    expect(summary.status).toBe('succeeded');
  });

  it('releases the lease it took when the resume is refused for a changed plan', async () => {
    const store = createMemoryStore();
    await journalledRun(store);
    const changed: PlanInput = { ...plan, tasks: [{ id: 'a', prompt: 'task A changed' }] };
    const error = await runTaskQueue(fakeQueryRuntime().runtime, changed, {
      store,
      resume: true,
    }).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResumeRefusedError);
    expect(await store.runs.getLease('r1')).toBeUndefined();
  });

  it('renews the lease every renewMs while it runs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const store = createMemoryStore();
    const fake = fakeQueryRuntime((id) => ({ hang: id === 'a' }));
    const run = runTaskQueue(fake.runtime, plan, {
      store,
      runId: 'r1',
      lease: { renewMs: 1_000, expireMs: 4_000 },
    });
    await run.started;
    const first = (await store.runs.getLease('r1'))!;
    expect(first.expiresAt - first.acquiredAt).toBe(4_000);
    await vi.advanceTimersByTimeAsync(999);
    expect((await store.runs.getLease('r1'))!.renewedAt).toBe(first.renewedAt);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(2_000);
    const later = (await store.runs.getLease('r1'))!;
    expect(later.renewedAt).toBe(first.acquiredAt + 3_000);
    expect(later.expiresAt).toBe(first.acquiredAt + 7_000);
    expect(later.token).toBe(first.token);
    run.cancel();
    await run.result;
  });

  it('stops, writing nothing more, when another host took the run over', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const store = createMemoryStore();
    const fake = fakeQueryRuntime((id) => ({ hang: id === 'a' }));
    const run = runTaskQueue(fake.runtime, plan, {
      store,
      runId: 'r1',
      lease: { renewMs: 1_000, expireMs: 4_000 },
    });
    await run.started;
    await vi.waitFor(async () => expect((await store.runs.tasks('r1'))[0]!.status).toBe('running'));
    const mine = (await store.runs.getLease('r1'))!;
    // Another machine found the lease expired (this host was frozen) and took the run.
    await store.runs.claimLease({
      runId: 'r1',
      token: 'theirs',
      owner: otherMachine,
      at: Date.now(),
      expiresAt: Date.now() + 30_000,
      expected: mine.token,
    });
    const journalled = await store.runs.transitions('r1');
    const ended = run.result.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await ended;
    expect(error).toBeInstanceOf(RunOwnedError);
    expect((error as Error).message).toMatch(/This host lost run `r1`: .*-elsewhere/);
    expect(fake.of('a')[0]!.cancelled).toBe(true);
    // Its cancelled tasks were not journalled over the new owner's, nor the run's end.
    expect(await store.runs.transitions('r1')).toEqual(journalled);
    expect((await store.runs.getRun('r1'))!.status).toBe('running');
    expect((await store.runs.getLease('r1'))!.token).toBe('theirs');
  });

  it('refuses, inside the store, a write that comes after a takeover and before the next renewal', async () => {
    // A renewal an hour away: only the store's fencing can see the run was taken over.
    const store = createMemoryStore();
    const fake = fakeQueryRuntime((id) => ({ hang: id === 'a' }));
    const run = runTaskQueue(fake.runtime, plan, {
      store,
      runId: 'r1',
      lease: { renewMs: 3_600_000, expireMs: 7_200_000 },
    });
    await run.started;
    await vi.waitFor(async () => expect((await store.runs.tasks('r1'))[0]!.status).toBe('running'));
    const mine = (await store.runs.getLease('r1'))!;
    await store.runs.claimLease({
      runId: 'r1',
      token: 'theirs',
      owner: otherMachine,
      at: Date.now(),
      expiresAt: Date.now() + 30_000,
      expected: mine.token,
    });
    const journalled = await store.runs.transitions('r1');
    // The cancellation journals `a` cancelled and the run's end: both refused.
    run.cancel();
    const error = await run.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunOwnedError);
    expect((error as Error).message).toMatch(/This host lost run `r1`: .*refused/);
    expect(await store.runs.transitions('r1')).toEqual(journalled);
    expect((await store.runs.tasks('r1'))[0]!.status).toBe('running');
    expect((await store.runs.getRun('r1'))!.status).toBe('running');
    expect((await store.runs.getLease('r1'))!.token).toBe('theirs');
  });

  it('leaves the output folder to the new owner once the run was taken over', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const outputDir = await mkdtemp(join(tmpdir(), 'run-lease-'));
    try {
      const store = createMemoryStore();
      const fake = fakeQueryRuntime((id) => ({ hang: id === 'a' }));
      const run = runTaskQueue(fake.runtime, plan, {
        store,
        runId: 'r1',
        outputDir,
        lease: { renewMs: 1_000, expireMs: 4_000 },
      });
      await run.started;
      await vi.waitFor(async () =>
        expect((await store.runs.tasks('r1'))[0]!.status).toBe('running'),
      );
      const mine = (await store.runs.getLease('r1'))!;
      await store.runs.claimLease({
        runId: 'r1',
        token: 'theirs',
        owner: otherMachine,
        at: Date.now(),
        expiresAt: Date.now() + 30_000,
        expected: mine.token,
      });
      // The new owner writes its report into the shared folder.
      const theirs = '{"by":"the new owner"}\n';
      await writeFile(join(outputDir, 'report.json'), theirs);
      const ended = run.result.catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await ended).toBeInstanceOf(RunOwnedError);
      expect(await readFile(join(outputDir, 'report.json'), 'utf8')).toBe(theirs);
    } finally {
      await rm(outputDir, { recursive: true, force: true });
    }
  });

  it('logs a renewal that fails and renews again at the next tick', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const base = createMemoryStore();
    let failures = 1;
    const store: Store = {
      ...base,
      runs: {
        ...base.runs,
        renewLease: async (...args) => {
          if (failures-- > 0) throw new Error('database is locked');
          return base.runs.renewLease(...args);
        },
      },
    };
    const { logger, lines } = logLines();
    const fake = fakeQueryRuntime((id) => ({ hang: id === 'a' }));
    const run = runTaskQueue(fake.runtime, plan, {
      store,
      runId: 'r1',
      logger,
      lease: { renewMs: 1_000, expireMs: 4_000 },
    });
    await run.started;
    const first = (await base.runs.getLease('r1'))!;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('renewing the run lease failed');
    expect((await base.runs.getLease('r1'))!.renewedAt).toBe(first.renewedAt);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await base.runs.getLease('r1'))!.renewedAt).toBe(first.acquiredAt + 2_000);
    run.cancel();
    expect((await run.result).status).toBe('cancelled');
  });

  it('creates a new run already held: a resume racing with it finds it owned', async () => {
    const base = createMemoryStore();
    let raced: unknown;
    // A resume without a run id on another host lands right after the run is created.
    const store: Store = {
      ...base,
      runs: {
        ...base.runs,
        createRun: async (...args) => {
          const run = await base.runs.createRun(...args);
          raced = await runTaskQueue(fakeQueryRuntime().runtime, plan, {
            store: base,
            resume: true,
          }).result.catch((e: unknown) => e);
          return run;
        },
      },
    };
    const fake = fakeQueryRuntime();
    const summary = await runTaskQueue(fake.runtime, plan, { store, runId: 'r1' }).result;
    expect(raced).toBeInstanceOf(RunOwnedError);
    expect(summary.status).toBe('succeeded');
    expect(fake.queries.map((q) => q.taskId)).toEqual(['a', 'b']);
  });

  it('refuses when another host wins the take-over between its read and its claim', async () => {
    const base = createMemoryStore();
    await journalledRun(base);
    const dead = { ...self, startTime: (self.startTime ?? 0) + 1 };
    const stale = await holdRun(base, dead, Date.now() + 60_000);
    // Another machine takes the run just before this host's claim lands.
    const store: Store = {
      ...base,
      runs: {
        ...base.runs,
        claimLease: async (claim) => {
          await base.runs.claimLease({
            runId: 'r1',
            token: 'winner',
            owner: otherMachine,
            at: Date.now(),
            expiresAt: Date.now() + 30_000,
            expected: stale.token,
          });
          return base.runs.claimLease(claim);
        },
      },
    };
    const fake = fakeQueryRuntime();
    const error = await runTaskQueue(fake.runtime, plan, { store, resume: true }).result.catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunOwnedError);
    expect(error).toMatchObject({ owner: { hostname: otherMachine.hostname } });
    expect(fake.queries).toHaveLength(0);
    expect((await base.runs.getLease('r1'))!.token).toBe('winner');
    expect((await base.runs.getRun('r1'))!.resumes).toBe(0);
  });

  it.each([
    [{ renewMs: 0 }, /lease\.renewMs/],
    [
      { renewMs: 5_000, expireMs: 5_000 },
      /lease\.expireMs.*longer than `lease\.renewMs` \(5000\).*5000/,
    ],
    [{ expire: 1 }, /lease/],
    [{ renewMs: 2 ** 31 }, /lease\.renewMs.*at most 2147483647 ms.*2147483648/],
    [{ renewMs: 1_000, expireMs: 2 ** 31 }, /lease\.expireMs.*at most 2147483647 ms/],
  ])('refuses lease options %j', (lease, message) => {
    const store = createMemoryStore();
    const run = () => runTaskQueue(fakeQueryRuntime().runtime, plan, { store, lease } as never);
    expect(run).toThrow(InvalidOptionsError);
    expect(run).toThrow(message);
  });
});
