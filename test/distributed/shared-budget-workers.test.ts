import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, type DistributedWorker } from '../../src/distributed/create-worker.js';
import { jobIdOf } from '../../src/distributed/job/job-id.js';
import {
  createRedisAdmission,
  type RedisAdmission,
} from '../../src/distributed/redis-admission.js';
import { runQuery } from '../../src/machines/query/run-query.js';
import { text } from '../../src/testing/builders.js';
import { useSimulator } from '../helpers/integration.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';

const why = redisUnavailable();
const sim = useSimulator();

describe.skipIf(why)('a budget shared by three workers (real CLI, simulator, real Redis)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis?.stop());

  it('is never exceeded: jobs are admitted while their reservation fits, the rest refused', async () => {
    sim.env.simulator.on(() => true, text('a small answer', { ttftMs: 200 }));
    // What one task costs on this simulator (the CLI prices the tokens it reports).
    const probe = await runQuery('price me', sim.env.options).result;
    const cost = probe.costUsd;
    expect(cost).toBeGreaterThan(0);
    const budgetUsd = cost * 3.5;
    // Each job reserves more than it spends: 2 run at once at most (2 × 1.2 + 1.2 > 3.5).
    const reserveUsd = cost * 1.2;

    const prefix = redis.prefix();
    const queueName = 'budgeted';
    const admissions: RedisAdmission[] = [];
    const workers: DistributedWorker[] = [];
    const queue = new Queue(queueName, {
      connection: { host: redis.host, port: redis.port, maxRetriesPerRequest: null },
      prefix,
    });
    const taskIds = Array.from({ length: 8 }, (_, i) => `t${i}`);
    try {
      for (const name of ['w1', 'w2', 'w3']) {
        // One admission per worker, as on separate machines: they meet only in Redis.
        const admission = createRedisAdmission({
          connection: redis.url,
          queueName,
          prefix,
          budgetUsd,
        });
        admissions.push(admission);
        workers.push(
          await createWorker({
            connection: redis.url,
            queueName,
            prefix,
            name,
            concurrency: 2,
            admission,
            runtimeOptions: { defaults: sim.env.options },
          }),
        );
      }
      await Promise.all(
        taskIds.map((taskId) =>
          queue.add(
            'task',
            {
              v: 1,
              runId: 'budget',
              taskId,
              attempt: 1,
              queryId: `budget/${taskId}`,
              prompt: `task ${taskId}`,
              options: { maxBudgetUsd: reserveUsd },
              tags: [],
            },
            { jobId: jobIdOf('budget', taskId, 1) },
          ),
        ),
      );
      await expect
        .poll(
          async () =>
            (await queue.getJobCountByTypes('completed')) +
            (await queue.getJobCountByTypes('failed')),
          { timeout: 90_000, interval: 100 },
        )
        .toBe(taskIds.length);

      const results = await Promise.all(
        taskIds.map(async (t) => (await queue.getJob(jobIdOf('budget', t, 1)))?.returnvalue),
      );
      const succeeded = results.filter((r) => r?.status === 'succeeded');
      const refused = results.filter((r) => r?.status !== 'succeeded');
      const spent = succeeded.reduce((sum, r) => sum + r.costUsd, 0);
      // The budget held over all three workers: what they spent together is within it…
      expect(spent).toBeLessThanOrEqual(budgetUsd + 1e-9);
      // …it bound (3 tasks fit, the others were refused before running, naming the budget)…
      expect(succeeded.length).toBe(3);
      for (const r of refused) expect(r?.error?.code).toBe('BUDGET_EXCEEDED');
      expect(sim.env.simulator.requests.filter((r) => r.prompt.startsWith('task ')).length).toBe(3);
      // …and Redis holds exactly what was spent, with nothing left reserved.
      const state = await admissions[0]!.budget();
      expect(state?.spentUsd).toBeCloseTo(spent, 5);
      expect(state?.reservedUsd).toBe(0);
    } finally {
      await Promise.all(workers.map((w) => w.close({ deadlineMs: 5_000 })));
      await Promise.all(admissions.map((a) => a.close()));
      await queue.close();
    }
  }, 150_000);
});
