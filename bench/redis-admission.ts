/**
 * What the shared admission on Redis costs (run on demand: `npx tsx bench/redis-admission.ts`;
 * uses `REDIS_URL`, else a private `redis-server`):
 *
 * 1. one admit + settle with a shared budget (two Lua scripts and a read), µs, one client;
 * 2. throughput of admit + settle from 8 admissions at once (8 connections), per second;
 * 3. pause propagation: from a limiter pause in one runtime to the RESTORE applied to the
 *    limiter of another attached runtime, ms.
 *
 *   npx tsx bench/redis-admission.ts -- --cycles 2000 --trials 20
 */

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Worker } from 'bullmq';
import { createRedisAdmission } from '../src/distributed/redis-admission.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { startTestRedis } from '../test/helpers/redis-server.js';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '2000' },
    trials: { type: 'string', default: '20' },
  },
});
const cycles = Number(values.cycles);
const trials = Number(values.trials);
const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

const redis = await startTestRedis();
try {
  // 1. One cycle, one client.
  const one = createRedisAdmission({
    connection: redis.url,
    queueName: 'bench',
    prefix: redis.prefix(),
    budgetUsd: 1e6,
  });
  await one.admit({ jobId: 'warm', runId: 'r', taskId: 't', reserveUsd: 0.01 });
  const times: number[] = [];
  for (let i = 0; i < cycles; i++) {
    const start = performance.now();
    const ticket = await one.admit({
      jobId: `r.t${i}.1`,
      runId: 'r',
      taskId: `t${i}`,
      reserveUsd: 0.5,
    });
    await one.settle(ticket, 0.1);
    times.push((performance.now() - start) * 1000);
  }
  console.log(
    `admit + settle (shared budget), 1 client: median ${quantile(times, 0.5).toFixed(0)} µs, ` +
      `p99 ${quantile(times, 0.99).toFixed(0)} µs over ${cycles} cycles`,
  );
  await one.close();

  // 2. Eight admissions at once.
  const prefix = redis.prefix();
  const many = Array.from({ length: 8 }, () =>
    createRedisAdmission({ connection: redis.url, queueName: 'bench', prefix, budgetUsd: 1e6 }),
  );
  await Promise.all(many.map((a, i) => a.admit({ jobId: `w${i}`, runId: 'r', taskId: 'w' })));
  const started = performance.now();
  await Promise.all(
    many.map(async (admission, w) => {
      for (let i = 0; i < cycles / 8; i++) {
        const ticket = await admission.admit({
          jobId: `m.${w}-${i}.1`,
          runId: 'm',
          taskId: `${w}-${i}`,
          reserveUsd: 0.5,
        });
        await admission.settle(ticket, 0.1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const state = await many[0]!.budget();
  console.log(
    `admit + settle, 8 admissions at once: ${(cycles / seconds).toFixed(0)} per s ` +
      `(spent $${state?.spentUsd.toFixed(2)}, expected $${((cycles / 8) * 8 * 0.1).toFixed(2)})`,
  );
  await Promise.all(many.map((a) => a.close()));

  // 3. Pause propagation between two attached runtimes.
  const delays: number[] = [];
  for (let trial = 0; trial < trials; trial++) {
    const p = redis.prefix();
    const [a, b] = [0, 1].map(() =>
      createRedisAdmission({ connection: redis.url, queueName: 'bench', prefix: p }),
    );
    const [ra, rb] = [createRuntime({}), createRuntime({})];
    const fakeWorker = {
      opts: { limiter: { max: 1, duration: 1 } },
      on() {},
      off() {},
    } as unknown as Worker;
    a!.attach(ra, fakeWorker);
    b!.attach(rb, fakeWorker);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const start = performance.now();
    ra.system().limiter!.signal({ kind: 'rate_limited', retryAfterMs: 10_000, reason: 'HTTP 429' });
    while (rb.system().limiter!.state().pausedUntil === undefined) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    delays.push(performance.now() - start);
    await Promise.all([a!.close(), b!.close(), ra.stop(), rb.stop()]);
  }
  console.log(
    `pause propagation (limiter pause → other runtime's limiter paused): median ` +
      `${quantile(delays, 0.5).toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms over ${trials} trials`,
  );
} finally {
  await redis.stop();
}
