import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { eventually, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

describe('shared resilience actors in the runtime (real CLI against the simulator)', () => {
  it('a 429 with retry-after parks every other query until the reset; all complete', async () => {
    const runtime = createRuntime({
      // One attempt each and a deadline: parking (which costs neither) lets the newcomers wait.
      defaults: {
        ...sim.env.options,
        cliMaxRetries: 1,
        retry: { maxAttempts: 1 },
        timeouts: { totalMs: 60_000 },
      },
      limiter: { maxConcurrent: 4 },
    });
    sim.env.simulator.on('first', [
      { kind: 'error', status: 429, retryAfterSec: 2 },
      { kind: 'text', text: 'first done' },
    ]);
    const first = runtime.query('first');
    // Wait until the CLI reports its own retry (api_retry with the retry-after delay).
    let pausedAt = 0;
    first.events$.subscribe((e) => {
      if (
        e.type === 'query.message' &&
        e.message.type === 'system' &&
        (e.message as { subtype?: string }).subtype === 'api_retry'
      ) {
        pausedAt = Date.now();
      }
    });
    expect(await eventually(() => pausedAt > 0, 10_000)).toBe(true);
    expect(runtime.system().limiter?.state().pausedUntil).toBeGreaterThan(Date.now());
    const others = ['second', 'third', 'fourth'].map((p) => runtime.query(p));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The three newcomers are parked until the reset (restarted then); only the first
    // (retrying in its CLI) runs.
    const states = runtime.running().map((q) => JSON.stringify(q.state));
    expect(states.filter((s) => s.includes('delaying'))).toHaveLength(3);
    const results = await Promise.all([first, ...others].map((h) => h.result));
    expect(results.map((r) => r.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(results.slice(1).map((r) => r.attemptErrors.map((e) => e.code))).toEqual([
      ['RATE_LIMITED'],
      ['RATE_LIMITED'],
      ['RATE_LIMITED'],
    ]);
    // None of the others reached the API before the pause ended.
    const others$ = sim.env.simulator.requests.filter((r) =>
      ['second', 'third', 'fourth'].includes(r.prompt),
    );
    expect(others$).toHaveLength(3);
    for (const request of others$) expect(request.at - pausedAt).toBeGreaterThanOrEqual(1_500);
    await runtime.stop();
  });

  it('a run of 5xx opens the breaker, queries fail fast, then a half-open probe closes it', async () => {
    const runtime = createRuntime({
      defaults: { ...sim.env.options, retry: { maxAttempts: 1 } },
      breaker: { policy: { kind: 'consecutive', threshold: 2 }, resetTimeout: 1_500 },
    });
    let down = true;
    sim.env.simulator.on(() => down, { kind: 'error', status: 500 });
    for (const p of ['fail 1', 'fail 2']) {
      expect((await runtime.query(p).result).error).toMatchObject({
        code: 'API_ERROR',
        status: 500,
      });
    }
    expect(runtime.system().breaker?.state().state).toBe('open');
    const requests = sim.env.simulator.requests.length;
    const fast = await runtime.query('fails fast').result;
    expect(fast.status).toBe('failed');
    expect(fast.error).toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(sim.env.simulator.requests).toHaveLength(requests);
    // The API recovers; after the reset timeout one probe goes through and closes the breaker.
    down = false;
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await runtime.query('probe').result).status).toBe('succeeded');
    expect(runtime.system().breaker?.state().state).toBe('closed');
    expect((await runtime.query('after').result).status).toBe('succeeded');
    await runtime.stop();
  });

  it('a spent budget refuses new queries with a clear error before any process starts', async () => {
    const runtime = createRuntime({ defaults: sim.env.options, budget: { totalUsd: 0.05 } });
    sim.env.simulator.on(/^paid/, {
      kind: 'text',
      text: 'ok',
      usage: { inputTokens: 4_000, outputTokens: 1_000 },
    });
    type Result = Awaited<ReturnType<typeof runtime.query>['result']>;
    const ran: Result[] = [];
    let refused: Result | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const result = await runtime.query(`paid ${i}`, {}, { tags: ['team-a'] }).result;
      if (result.error?.code === 'BUDGET_EXCEEDED') refused = result;
      else ran.push(result);
    }
    expect(ran.filter((r) => r.status === 'succeeded').length).toBeGreaterThan(0);
    // The query that crossed the line was stopped by the CLI's own --max-budget-usd cap...
    const capped = ran.filter((r) => r.status !== 'succeeded');
    for (const r of capped)
      expect(r.error).toMatchObject({ code: 'QUERY_FAILED', subtype: 'error_max_budget_usd' });
    // ...and the next one was refused before any process started, with a clear error.
    expect(refused?.error).toMatchObject({ retryable: false, scope: 'runtime', unit: 'usd' });
    expect(refused?.error?.message).toMatch(/budget/i);
    expect(sim.env.simulator.requests).toHaveLength(ran.length);
    // Nothing is lost: every query that ran is in the stats with its cost.
    const stats = runtime.stats()!;
    expect(stats.total.succeeded + stats.total.failed).toBe(ran.length);
    expect(stats.total.refused).toBe(1);
    expect(stats.total.costUsd).toBeCloseTo(
      ran.reduce((sum, r) => sum + r.costUsd, 0),
      6,
    );
    expect(stats.total.costUsd).toBeGreaterThanOrEqual(0.05);
    expect(stats.byTag['team-a']?.succeeded).toBe(ran.length - capped.length);
    await runtime.stop();
  });

  it('a restarted runtime restored from a snapshot remembers the open breaker and the spending', async () => {
    const first = createRuntime({
      defaults: { ...sim.env.options, retry: { maxAttempts: 1 } },
      breaker: { policy: { kind: 'consecutive', threshold: 1 }, resetTimeout: 60_000 },
    });
    sim.env.simulator.on('broken', { kind: 'error', status: 503 });
    await first.query('broken').result;
    const snapshot = JSON.parse(JSON.stringify(first.snapshot()));
    await first.stop();
    const second = createRuntime({
      // One attempt: with a retry budget the query would wait out the 60 s reset instead.
      defaults: { ...sim.env.options, retry: { maxAttempts: 1 } },
      breaker: { policy: { kind: 'consecutive', threshold: 1 }, resetTimeout: 60_000 },
      restore: snapshot,
    });
    expect(second.system().breaker?.state().state).toBe('open');
    expect((await second.query('still refused').result).error).toMatchObject({
      code: 'CIRCUIT_OPEN',
    });
    await second.stop();
  });
});
