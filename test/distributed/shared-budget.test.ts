import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionKeys } from '../../src/distributed/redis-admission-keys.js';
import { createSharedBudget } from '../../src/distributed/shared-budget.js';
import { BudgetExceededError } from '../../src/resilience/errors/budget-exceeded-error.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { seededRandom } from '../helpers/seeded-random.js';

const why = redisUnavailable();

describe.skipIf(why)('createSharedBudget (real Redis)', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  const client = (): Redis => {
    const c = new Redis(redis.url, { lazyConnect: false });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    await redis?.stop();
  });

  it.each([
    1, 2, 3,
  ])('parallel reservations from 8 clients never pass the limit (seed %i)', async (seed) => {
    const random = seededRandom(seed);
    const keys = admissionKeys(redis.prefix(), 'q');
    const limitUsd = 1 + random.int(0, 300) / 100;
    const budgets = Array.from({ length: 8 }, () =>
      createSharedBudget({ redis: client(), keys, limitUsd }),
    );
    const granted = new Map<string, number>();
    let refused = 0;
    // 400 reserve calls in flight at once, random amounts, from 8 connections.
    await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const amount = random.int(1, 40) / 100;
        const budget = budgets[i % budgets.length]!;
        try {
          await budget.reserve(`job-${i}`, amount);
          granted.set(`job-${i}`, amount);
        } catch (error) {
          expect(error).toBeInstanceOf(BudgetExceededError);
          refused += 1;
        }
      }),
    );
    const sum = [...granted.values()].reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(limitUsd + 1e-9);
    expect(refused).toBeGreaterThan(0);
    // Greedy: what is left is less than the largest amount (no refusal while there was room
    // for 0.40).
    expect(limitUsd - sum).toBeLessThan(0.4 + 1e-9);
    const state = await budgets[0]!.state();
    expect(state.reservedUsd).toBeCloseTo(sum, 6);
    expect(state.reservations).toBe(granted.size);

    // Settle half at a lower actual cost, then reserve again in parallel: spent + reserved
    // stays within the limit.
    const ids = [...granted.keys()];
    await Promise.all(
      ids
        .filter((_, i) => i % 2 === 0)
        .map((id, i) => budgets[i % 8]!.settle(id, (granted.get(id) ?? 0) / 2)),
    );
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        await budgets[i % 8]!.reserve(`more-${i}`, random.int(1, 20) / 100).catch(() => {});
      }),
    );
    const after = await budgets[0]!.state();
    expect(after.spentUsd + after.reservedUsd).toBeLessThanOrEqual(limitUsd + 1e-9);
    expect(after.spentUsd).toBeGreaterThan(0);
  });

  it('refuses with a BudgetExceededError naming the limit and what is spent and held', async () => {
    const keys = admissionKeys(redis.prefix(), 'q');
    const budget = createSharedBudget({ redis: client(), keys, limitUsd: 1 });
    await budget.reserve('a', 0.6);
    await budget.settle('a', 0.7);
    await budget.reserve('b', 0.2);
    const error = await budget.reserve('c', 0.2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({ code: 'BUDGET_EXCEEDED', limit: 1, unit: 'usd', queryId: 'c' });
    expect((error as BudgetExceededError).spent).toBeCloseTo(0.9, 6);
    // Nothing left at all: even a task with no reservation is refused.
    await budget.reserve('d', 0.1);
    await expect(budget.reserve('e', 0)).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it("reclaims a dead worker's expired reservation on the next reserve", async () => {
    const keys = admissionKeys(redis.prefix(), 'q');
    const raw = client();
    const dead = createSharedBudget({ redis: raw, keys, limitUsd: 1, reservationTtlMs: 30_000 });
    const alive = createSharedBudget({ redis: client(), keys, limitUsd: 1 });
    await dead.reserve('held-by-dead', 0.9);
    // The deadline is Redis's time + the TTL.
    const [seconds] = await raw.time();
    const deadline = Number(await raw.zscore(keys.budgetDeadlines, 'held-by-dead'));
    expect(deadline - Number(seconds) * 1000).toBeGreaterThan(29_000);
    expect(deadline - Number(seconds) * 1000).toBeLessThanOrEqual(31_000);
    await expect(alive.reserve('new', 0.5)).rejects.toBeInstanceOf(BudgetExceededError);
    // The worker died and its TTL passed (the deadline moved into the past, as time would).
    await raw.zadd(keys.budgetDeadlines, 1, 'held-by-dead');
    await alive.reserve('new', 0.5);
    const state = await alive.state();
    expect(state).toMatchObject({ reservations: 1 });
    expect(state.reservedUsd).toBeCloseTo(0.5, 6);
    // A late settle of the dead worker's task still counts what it spent.
    expect(await dead.settle('held-by-dead', 0.25)).toBeCloseTo(0.25, 6);
  });

  it('renews a reservation it holds, and says so when it holds none', async () => {
    const keys = admissionKeys(redis.prefix(), 'q');
    const raw = client();
    const budget = createSharedBudget({ redis: raw, keys, limitUsd: 1, reservationTtlMs: 5_000 });
    await budget.reserve('r', 0.1);
    await raw.zadd(keys.budgetDeadlines, 1, 'r');
    expect(await budget.renew('r')).toBe(true);
    const [seconds] = await raw.time();
    expect(Number(await raw.zscore(keys.budgetDeadlines, 'r'))).toBeGreaterThan(
      Number(seconds) * 1000,
    );
    await budget.settle('r', 0.1);
    expect(await budget.renew('r')).toBe(false);
  });

  it.each([
    [{ limitUsd: -1 }, /`limitUsd`.*`-1`/],
    [{ limitUsd: Number.NaN }, /`limitUsd`.*`NaN`/],
    [{ limitUsd: 1, reservationTtlMs: 0 }, /`reservationTtlMs`.*`0`/],
  ])('rejects bad options %j', (options, message) => {
    const keys = admissionKeys('p', 'q');
    expect(() => createSharedBudget({ redis: {} as Redis, keys, ...options })).toThrow(message);
  });
});
