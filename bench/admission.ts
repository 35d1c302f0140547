/**
 * Admission benchmarks of the resilience actors (run on demand: `npx tsx bench/admission.ts`).
 *
 * 1. Overhead: µs per acquire/release cycle through budget + breaker + limiter.
 * 2. Throughput: time for the limiter to drain 10,000 queued requests with generous limits.
 * 3. A simulated hour (fake clock) under a 60-per-minute limit: admissions per minute window.
 */
import { performance } from 'node:perf_hooks';
import { createActor } from 'xstate';
import type { QueryResult } from '../src/machines/query/query-types.js';
import { circuitBreakerClient } from '../src/resilience/breaker/circuit-breaker-client.js';
import { createCircuitBreaker } from '../src/resilience/breaker/create-circuit-breaker.js';
import { budgetClient } from '../src/resilience/budget/budget-client.js';
import { createBudget } from '../src/resilience/budget/create-budget.js';
import { createRateLimiter } from '../src/resilience/limiter/create-rate-limiter.js';
import { rateLimiterClient } from '../src/resilience/limiter/rate-limiter-client.js';

const result: QueryResult = {
  status: 'succeeded',
  queryId: 'q',
  text: 'ok',
  structuredOutput: undefined,
  sessionId: undefined,
  costUsd: 0.001,
  usage: { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
  numTurns: 1,
  durationMs: 1,
  durationApiMs: 1,
  attempts: 1,
  error: undefined,
  attemptErrors: [],
  raw: undefined,
};

async function overhead(cycles: number): Promise<Record<string, string>> {
  const limiter = rateLimiterClient(
    createActor(
      createRateLimiter({
        perMinute: { limit: 1e9 },
        perHour: { limit: 1e9 },
        maxConcurrent: 100,
        tokensPerMinute: { limit: 1e12 },
      }),
    ).start(),
  );
  const breaker = circuitBreakerClient(createActor(createCircuitBreaker()).start());
  const budget = budgetClient(
    createActor(createBudget({ totalUsd: 1e9, perTag: { bench: { usd: 1e9 } } })).start(),
  );
  const measure = async (run: (id: string) => Promise<void>) => {
    for (let i = 0; i < 1_000; i++) await run(`warm-${i}`);
    const start = performance.now();
    for (let i = 0; i < cycles; i++) await run(`q${i}`);
    return `${(((performance.now() - start) * 1000) / cycles).toFixed(1)} µs`;
  };
  const tags = ['bench'];
  return {
    'limiter acquire + release': await measure(async (id) => {
      await limiter.acquire({ requestId: id, tokens: 15 });
      limiter.release(id, { usage: { inputTokens: 10, outputTokens: 5 } });
    }),
    'breaker allow + record': await measure(async (id) => {
      await breaker.allow({ requestId: id });
      breaker.record(id, { ok: true });
    }),
    'budget reserve + record': await measure(async (id) => {
      await budget.reserve({ requestId: id, tags });
      budget.record({ requestId: id, tags, model: 'sonnet', result });
    }),
    'all three (full admission cycle)': await measure(async (id) => {
      await budget.reserve({ requestId: id, tags });
      await breaker.allow({ requestId: id });
      await limiter.acquire({ requestId: id, tokens: 15 });
      limiter.release(id, { usage: { inputTokens: 10, outputTokens: 5 } });
      breaker.record(id, { ok: true });
      budget.record({ requestId: id, tags, model: 'sonnet', result });
    }),
  };
}

async function drain(requests: number, maxConcurrent: number): Promise<string> {
  const actor = createActor(
    createRateLimiter({ perMinute: { limit: 1e9 }, maxConcurrent }),
  ).start();
  const limiter = rateLimiterClient(actor);
  const start = performance.now();
  const all: Promise<void>[] = [];
  for (let i = 0; i < requests; i++) {
    all.push(
      limiter.acquire({ requestId: `q${i}`, priority: i % 3 }).then((p) => {
        limiter.release(p.requestId);
      }),
    );
  }
  const queuedAfter = performance.now() - start;
  const peak = limiter.state().queued;
  await Promise.all(all);
  const total = performance.now() - start;
  actor.stop();
  return (
    `${requests} requests (${peak} queued at peak, maxConcurrent ${maxConcurrent}): ` +
    `enqueued in ${queuedAfter.toFixed(0)} ms, drained in ${total.toFixed(0)} ms ` +
    `(${Math.round(requests / (total / 1000)).toLocaleString('en-US')} permits/s)`
  );
}

/** A clock for XState and Date.now that only moves when told to. */
class SimulatedClock {
  now: number;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #seq = 0;
  constructor(start: number) {
    this.now = start;
  }
  setTimeout = (fn: () => void, ms: number): number => {
    this.#seq += 1;
    this.#timers.set(this.#seq, { at: this.now + Math.max(0, ms), fn });
    return this.#seq;
  };
  clearTimeout = (id: unknown): void => {
    this.#timers.delete(id as number);
  };
  /** Runs every timer due up to `until`, in time order, letting promises settle between. */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.#timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.now = until;
  }
}

async function simulatedHour(): Promise<void> {
  const start = Date.UTC(2026, 0, 1);
  const clock = new SimulatedClock(start);
  const realNow = Date.now;
  Date.now = () => clock.now;
  try {
    const actor = createActor(
      createRateLimiter({ perMinute: { limit: 60, burst: 10 }, maxConcurrent: 8 }),
      { clock },
    ).start();
    const limiter = rateLimiterClient(actor);
    const admitted: number[] = [];
    let arrived = 0;
    // Offered load: 2 requests a second (twice the limit); each query runs 4 s.
    const arrive = (): void => {
      const id = `q${arrived++}`;
      limiter.acquire({ requestId: id }).then(
        (permit) => {
          admitted.push(permit.grantedAt);
          clock.setTimeout(() => limiter.release(id), 4_000);
        },
        () => undefined,
      ); // still queued when the hour ends: cancelled by the stop
      if (clock.now < start + 3_600_000 - 500) clock.setTimeout(arrive, 500);
    };
    arrive();
    // At minute 20 the API answers 429 with a reset two minutes later.
    clock.setTimeout(
      () => limiter.signal({ kind: 'rate_limited', resetsAt: start + 22 * 60_000 }),
      20 * 60_000,
    );
    await clock.advanceTo(start + 3_600_000);

    const rows: string[] = [
      '| minute | admitted | max in any sliding 60 s window | queued at end |',
    ];
    rows.push('|---:|---:|---:|---:|');
    let worstSliding = 0;
    const queuedAtMinuteEnd: number[] = [];
    for (let m = 0; m < 60; m++) {
      const from = start + m * 60_000;
      const inMinute = admitted.filter((t) => t >= from && t < from + 60_000);
      let sliding = 0;
      for (const t of inMinute) {
        sliding = Math.max(sliding, admitted.filter((u) => u > t - 60_000 && u <= t).length);
      }
      worstSliding = Math.max(worstSliding, sliding);
      const arrivedBy = Math.min(arrived, (m + 1) * 120);
      const admittedBy = admitted.filter((t) => t < from + 60_000).length;
      queuedAtMinuteEnd.push(arrivedBy - admittedBy);
      rows.push(`| ${m + 1} | ${inMinute.length} | ${sliding} | ${arrivedBy - admittedBy} |`);
    }
    console.log(rows.join('\n'));
    console.log(
      `\n${arrived} requests offered (2/s), ${admitted.length} admitted in the hour; ` +
        `limit 60/min (burst 10), 429 at minute 20 with reset at minute 22. ` +
        `Largest count in any sliding 60 s window: ${worstSliding} (limit 60).`,
    );
    actor.stop();
  } finally {
    Date.now = realNow;
  }
}

console.log('## Admission overhead (20,000 cycles each, after 1,000 warm-up)\n');
console.log('| path | per cycle |\n|---|---:|');
for (const [path, perCycle] of Object.entries(await overhead(20_000))) {
  console.log(`| ${path} | ${perCycle} |`);
}
console.log('\n## Limiter throughput\n');
console.log(await drain(10_000, 100));
console.log(await drain(10_000, 1));
console.log('\n## Simulated hour, 60 per minute\n');
await simulatedHour();
