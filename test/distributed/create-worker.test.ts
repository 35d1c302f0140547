import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../../src/distributed/create-worker.js';
import type { WorkerAdmission } from '../../src/distributed/worker-admission.js';
import type { WorkerJobEvent } from '../../src/distributed/worker-job-event.js';
import { distributedParts, taskRunsOf } from '../helpers/distributed-parts.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { fakeRuntime } from './fake-runtime.js';

const why = redisUnavailable();

const run = taskRunsOf('run-w');

describe.skipIf(why !== undefined)('createWorker on real Redis', () => {
  let redis: TestRedis;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => redis?.stop());

  const { backendOn, workerOn } = distributedParts({
    url: () => redis.url,
    closers,
    closeDeadlineMs: 500,
  });

  it('admits each job before its query and settles it with the cost after', async () => {
    const prefix = redis.prefix();
    const calls: string[] = [];
    const admission: WorkerAdmission = {
      async admit(job) {
        calls.push(`admit ${job.jobId} ${job.reserveUsd}`);
        return { jobId: job.jobId, reservedUsd: job.reserveUsd ?? 0 };
      },
      async settle(ticket, cost) {
        calls.push(`settle ${ticket.jobId} ${cost}`);
      },
      attach() {
        calls.push('attach');
        return () => calls.push('detach');
      },
      async close() {},
    };
    const fake = fakeRuntime();
    const worker = await workerOn(prefix, fake, { admission });
    const handle = backendOn(prefix).query('Costly', { maxBudgetUsd: 0.5 }, run('cost'));
    const [query] = await fake.started(1);
    expect(calls).toEqual(['attach', 'admit run-w.cost.1 0.5']);
    query!.succeed('ok', 0.12);
    expect((await handle.result).costUsd).toBe(0.12);
    expect(calls).toEqual(['attach', 'admit run-w.cost.1 0.5', 'settle run-w.cost.1 0.12']);
    await worker.close();
    expect(calls.at(-1)).toBe('detach');
  });

  it('fails a job its admission refuses, with the admission’s error code, without running it', async () => {
    const prefix = redis.prefix();
    const refusing: WorkerAdmission = {
      async admit() {
        throw Object.assign(new Error('the shared budget is spent'), { code: 'BUDGET_EXCEEDED' });
      },
      async settle() {},
      attach: () => () => undefined,
      async close() {},
    };
    const fake = fakeRuntime();
    await workerOn(prefix, fake, { admission: refusing });
    const result = await backendOn(prefix).query('Too dear', {}, run('dear')).result;
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      message: 'the shared budget is spent',
    });
    expect(fake.queries).toHaveLength(0);
  });

  it('continues the session the scheduler asks for, with the continuation prompt', async () => {
    const prefix = redis.prefix();
    const fake = fakeRuntime({ autoSucceed: () => 'continued' });
    await workerOn(prefix, fake);
    const result = await backendOn(prefix).query(
      'Original',
      {},
      { ...run('again'), resumeSession: 'sess-42', continuationPrompt: 'Go on.' },
    ).result;
    expect(result.text).toBe('continued');
    expect(fake.queries[0]!.prompt).toBe('Go on.');
    expect(fake.queries[0]!.options.resume).toBe('sess-42');
  });

  it('hands a job still running at the shutdown deadline back to the queue; the next worker continues its session', async () => {
    const prefix = redis.prefix();
    const first = fakeRuntime();
    const a = await workerOn(prefix, first, { name: 'a' });
    const events: WorkerJobEvent[] = [];
    a.events$.subscribe((e) => events.push(e));
    const handle = backendOn(prefix).query('Slow one', {}, run('slow'));
    const [query] = await first.started(1);
    // The session id reaches the job before the shutdown.
    await new Promise((r) => setTimeout(r, 200));
    await a.close({ deadlineMs: 100 });
    expect((await query!.result).status).toBe('cancelled');
    expect(events.map((e) => e.type)).toEqual(['job.started', 'job.handed-back']);
    const second = fakeRuntime({ autoSucceed: () => 'finished by b' });
    await workerOn(prefix, second, { name: 'b' });
    const result = await handle.result;
    expect(result.text).toBe('finished by b');
    expect(second.queries[0]!.options.resume).toBe(query!.sessionId);
  });

  it('fails a job that is not a task run (INVALID_JOB on the worker, JOB_FAILED for the scheduler)', async () => {
    const prefix = redis.prefix();
    const fake = fakeRuntime();
    const worker = await workerOn(prefix, fake);
    const events: WorkerJobEvent[] = [];
    worker.events$.subscribe((e) => events.push(e));
    const queue = new Queue('claude-actors', {
      connection: { host: redis.host, port: redis.port },
      prefix,
    });
    closers.push(() => queue.close());
    const job = await queue.add('task', { v: 1, runId: 'bad:id' }, { jobId: 'bad-job' });
    await new Promise<void>((resolve) => {
      const check = async () =>
        (await job.getState()) === 'failed' ? resolve() : setTimeout(check, 50);
      void check();
    });
    expect(fake.queries).toHaveLength(0);
    expect(events[0]).toMatchObject({ type: 'job.invalid', jobId: 'bad-job' });
    expect((events[0] as { message: string }).message).toMatch(/runId/);
  });

  it('rejects with BACKEND_UNAVAILABLE when Redis does not answer, leaving nothing running', async () => {
    const fake = fakeRuntime();
    const started = Date.now();
    await expect(
      createWorker({
        connection: 'redis://127.0.0.1:1',
        runtime: fake.runtime,
        connectTimeoutMs: 300,
      }),
    ).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      // Where, and why (the connection error, not only the deadline).
      message: expect.stringMatching(/redis:\/\/127\.0\.0\.1:1.*ECONNREFUSED/),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.stopped).toBe(0);
  });

  it('refuses options naming the field', async () => {
    await expect(createWorker({ connection: redis.url, concurrency: 0 } as never)).rejects.toThrow(
      /`concurrency`/,
    );
    await expect(
      createWorker({ connection: redis.url, lockDurationMs: 1000, stalledIntervalMs: 5000 }),
    ).rejects.toThrow(/`stalledIntervalMs`: expected at most `lockDurationMs`/);
  });

  it('refuses a close deadline beyond the longest timer before closing anything', async () => {
    const prefix = redis.prefix();
    const fake = fakeRuntime({ autoSucceed: () => 'ok' });
    const worker = await workerOn(prefix, fake);
    // 1e12 ms would be a 1 ms timer: running jobs handed back at once.
    await expect(worker.close({ deadlineMs: 1e12 })).rejects.toThrow(
      /`deadlineMs`: expected at most 2147483647 ms.*1000000000000/,
    );
    const backend = backendOn(prefix);
    const result = await backend.query('Still working?', {}, run('after-refused-close')).result;
    expect(result).toMatchObject({ status: 'succeeded', text: 'ok' });
    await worker.close({ deadlineMs: 500 });
  });
});
