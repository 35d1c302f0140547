import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { CancelledError } from '../../src/core/errors/cancelled-error.js';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { ApiError } from '../../src/machines/query/errors/api-error.js';
import type { QueryResult } from '../../src/machines/query/query-types.js';
import { budgetClient } from '../../src/resilience/budget/budget-client.js';
import type { BudgetOptions } from '../../src/resilience/budget/budget-options.js';
import { toBudgetSnapshot } from '../../src/resilience/budget/budget-snapshot.js';
import { createBudget } from '../../src/resilience/budget/create-budget.js';
import type { Stats } from '../../src/resilience/budget/stats.js';
import { BudgetExceededError } from '../../src/resilience/errors/budget-exceeded-error.js';

const T0 = Date.UTC(2026, 0, 1);

function result(overrides: Partial<QueryResult> = {}): QueryResult {
  return {
    status: 'succeeded',
    queryId: 'q',
    text: 'ok',
    structuredOutput: undefined,
    sessionId: undefined,
    costUsd: 0.25,
    usage: {
      inputTokens: 100,
      outputTokens: 50,
      cacheReadInputTokens: 10,
      cacheCreationInputTokens: 5,
    },
    numTurns: 1,
    durationMs: 1_000,
    durationApiMs: 800,
    attempts: 1,
    error: undefined,
    attemptErrors: [],
    raw: undefined,
    ...overrides,
  };
}

function start(options: BudgetOptions = {}) {
  const actor = createActor(createBudget(options)).start();
  return { actor, client: budgetClient(actor) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createBudget options', () => {
  it.each([
    [{ totalUsd: -1 }, 'totalUsd', '`-1` (number)'],
    [{ totalTokens: 1.5 }, 'totalTokens', '`1.5` (number)'],
    [{ perTag: { nightly: { usd: 'lots' } } }, 'perTag.nightly.usd', '`"lots"` (string)'],
  ])('rejects %j naming %s', (options, path, received) => {
    try {
      createBudget(options as BudgetOptions);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect((error as InvalidOptionsError).issues[0]).toMatchObject({ path, received });
    }
  });
});

describe('stats', () => {
  it('adds up cost, tokens, durations, outcomes and retries in total, per model and per tag', () => {
    const { client } = start();
    client.record({ requestId: 'a', tags: ['ci', 'nightly'], model: 'sonnet', result: result() });
    client.record({
      requestId: 'b',
      tags: ['ci'],
      model: 'opus',
      result: result({
        status: 'failed',
        costUsd: 0.5,
        attempts: 3,
        durationMs: 2_500,
        error: new ApiError({ status: 529 }),
      }),
    });
    client.record({
      requestId: 'c',
      tags: [],
      result: result({ status: 'cancelled', costUsd: 0 }),
    });
    const stats = client.stats();
    expect(stats.total).toEqual({
      queries: 3,
      succeeded: 1,
      failed: 1,
      cancelled: 1,
      refused: 0,
      retries: 2,
      costUsd: 0.75,
      inputTokens: 300,
      outputTokens: 150,
      cacheReadInputTokens: 30,
      cacheCreationInputTokens: 15,
      durationMs: 4_500,
    });
    expect(stats.byModel.sonnet).toMatchObject({ queries: 1, costUsd: 0.25 });
    expect(stats.byModel.opus).toMatchObject({ queries: 1, failed: 1, retries: 2 });
    expect(stats.byModel.unknown).toMatchObject({ queries: 1, cancelled: 1 });
    expect(stats.byTag.ci).toMatchObject({ queries: 2, costUsd: 0.75, durationMs: 3_500 });
    expect(stats.byTag.nightly).toMatchObject({ queries: 1, costUsd: 0.25 });
  });

  it('counts a query once for a tag given twice', () => {
    const { client } = start();
    client.record({ requestId: 'a', tags: ['x', 'x'], result: result() });
    expect(client.stats().byTag.x?.queries).toBe(1);
  });

  it('streams stats and resets them, keeping the spending unless asked', () => {
    const { client } = start({ totalUsd: 0.2 });
    const seen: Stats[] = [];
    const subscription = client.stats$.subscribe((stats) => seen.push(stats));
    client.record({ requestId: 'a', tags: [], result: result() });
    vi.setSystemTime(T0 + 5_000);
    client.reset();
    expect(seen.map((s) => s.total.queries)).toEqual([0, 1, 0]);
    expect(client.stats().since).toBe(T0 + 5_000);
    expect(client.remainingUsd([])).toBe(0);
    client.reset({ spending: true });
    expect(client.remainingUsd([])).toBe(0.2);
    subscription.unsubscribe();
  });
});

describe('budgets', () => {
  it('refuses a query before it starts once the runtime USD budget is spent', async () => {
    const { client } = start({ totalUsd: 0.5 });
    await client.reserve({ requestId: 'a', tags: [] });
    client.record({ requestId: 'a', tags: [], result: result({ costUsd: 0.5 }) });
    const error = await client.reserve({ requestId: 'b', tags: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      retryable: false,
      scope: 'runtime',
      tag: undefined,
      unit: 'usd',
      limit: 0.5,
      spent: 0.5,
      queryId: 'b',
    });
    expect(client.stats().total.refused).toBe(1);
  });

  it.each([
    -5,
    Number.NaN,
    Number.NEGATIVE_INFINITY,
  ])('takes no credit from a result that says it cost %s', async (costUsd) => {
    const { client } = start({ totalUsd: 0.5, perTag: { ci: { tokens: 200 } } });
    client.record({ requestId: 'a', tags: ['ci'], result: result({ costUsd: 0.5 }) });
    client.record({
      requestId: 'b',
      tags: ['ci'],
      result: result({ costUsd, usage: { ...result().usage, inputTokens: -1_000 } }),
    });
    await expect(client.reserve({ requestId: 'c', tags: [] })).rejects.toMatchObject({
      scope: 'runtime',
      spent: 0.5,
    });
    await expect(client.reserve({ requestId: 'd', tags: ['ci'] })).rejects.toMatchObject({
      scope: 'runtime',
    });
  });

  it('refuses per tag, in USD or tokens, leaving other tags alone', async () => {
    const { client } = start({ perTag: { nightly: { usd: 1 }, chat: { tokens: 150 } } });
    client.record({ requestId: 'a', tags: ['chat'], result: result() });
    await expect(client.reserve({ requestId: 'b', tags: ['chat'] })).rejects.toMatchObject({
      scope: 'tag',
      tag: 'chat',
      unit: 'tokens',
      limit: 150,
      spent: 150,
    });
    await expect(client.reserve({ requestId: 'c', tags: ['nightly'] })).resolves.toBeUndefined();
  });

  it('refuses on the runtime token budget', async () => {
    const { client } = start({ totalTokens: 100 });
    client.record({ requestId: 'a', tags: [], result: result() });
    await expect(client.reserve({ requestId: 'b', tags: [] })).rejects.toMatchObject({
      unit: 'tokens',
      scope: 'runtime',
    });
  });

  it('emits budget.exhausted when a record spends the last of a budget', () => {
    const { actor, client } = start({ totalUsd: 0.3 });
    const exhausted: BudgetExceededError[] = [];
    actor.on('budget.exhausted', (e) => exhausted.push(e.error));
    client.record({ requestId: 'a', tags: [], result: result() });
    client.record({ requestId: 'b', tags: [], result: result() });
    client.record({ requestId: 'c', tags: [], result: result() });
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]).toMatchObject({ scope: 'runtime', spent: 0.5 });
  });

  it('computes the USD left for a query as the least over runtime and tag budgets', () => {
    const { client } = start({ totalUsd: 2, perTag: { a: { usd: 1 }, b: { tokens: 10 } } });
    expect(client.remainingUsd([])).toBe(2);
    expect(client.remainingUsd(['a'])).toBe(1);
    client.record({ requestId: 'x', tags: ['a'], result: result({ costUsd: 0.75 }) });
    expect(client.remainingUsd(['a'])).toBeCloseTo(0.25);
    expect(client.remainingUsd(['b'])).toBeCloseTo(1.25);
    client.record({ requestId: 'y', tags: [], result: result({ costUsd: 5 }) });
    expect(client.remainingUsd([])).toBe(0);
    expect(start({ perTag: { a: { tokens: 1 } } }).client.remainingUsd(['a'])).toBeUndefined();
  });

  it('rejects reserve with CancelledError when the actor is stopped', async () => {
    const { actor, client } = start();
    actor.stop();
    await expect(client.reserve({ requestId: 'a', tags: [] })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });
});

describe('persistence', () => {
  it('remembers what was spent after a restore from plain JSON', async () => {
    const logic = createBudget({ totalUsd: 1 });
    const first = createActor(logic).start();
    budgetClient(first).record({ requestId: 'a', tags: ['t'], result: result({ costUsd: 1 }) });
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();
    const client = budgetClient(createActor(logic, { snapshot: persisted }).start());
    expect(client.stats().byTag.t?.costUsd).toBe(1);
    expect(client.remainingUsd(['t'])).toBe(0);
    await expect(client.reserve({ requestId: 'b', tags: [] })).rejects.toBeInstanceOf(
      BudgetExceededError,
    );
  });

  it('publishes its limits in the snapshot, and the logic carries nothing of its own', () => {
    const logic = createBudget({ totalUsd: 2, perTag: { t: { usd: 1 } } });
    expect(Object.keys(logic)).not.toContain('budgetOptions');
    const actor = createActor(logic).start();
    expect(actor.getSnapshot().context.limits).toMatchObject({
      totalUsd: 2,
      perTag: { t: { usd: 1 } },
    });
    expect(budgetClient(actor).remainingUsd(['t'])).toBe(1);
    actor.stop();
    // A machine: stopping it is seen in its snapshot, with no wrapper of its transition.
    expect(actor.getSnapshot().status).toBe('stopped');
  });

  it('restores a snapshot of the 0.1.0 form ({ status, context }) through toBudgetSnapshot', async () => {
    const legacy = JSON.parse(
      JSON.stringify({
        status: 'active',
        context: {
          stats: createActor(createBudget()).getSnapshot().context.stats,
          spending: { total: { usd: 1, tokens: 0 }, byTag: {} },
        },
      }),
    );
    const actor = createActor(createBudget({ totalUsd: 1 }), {
      snapshot: toBudgetSnapshot(legacy) as never,
    });
    const client = budgetClient(actor.start());
    await expect(client.reserve({ requestId: 'b', tags: [] })).rejects.toBeInstanceOf(
      BudgetExceededError,
    );
    // The limits come from the options in force, not from the old snapshot (which had none).
    expect(client.remainingUsd([])).toBe(0);
    const current = actor.getPersistedSnapshot();
    expect(toBudgetSnapshot(current)).toBe(current);
  });

  it('uses the limits in force after a restore made with other options, from the first request', async () => {
    const first = createActor(createBudget({ totalUsd: 1 })).start();
    budgetClient(first).record({ requestId: 'a', tags: [], result: result({ costUsd: 1 }) });
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();
    const client = budgetClient(
      createActor(createBudget({ totalUsd: 5 }), { snapshot: persisted }).start(),
    );
    await expect(client.reserve({ requestId: 'b', tags: [] })).resolves.toBeUndefined();
    expect(client.remainingUsd([])).toBe(4);
  });
});
