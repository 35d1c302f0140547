import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

const QUERIES = 16;
const RATE_LIMITED = 4;

/** A time window [from, until) in epoch ms. */
interface Window {
  from: number;
  until: number;
}

describe('a 429 storm under default settings (real CLI against the simulator)', () => {
  it('loses no query, never opens the breaker, sends nothing new during the pause, counts it all', async () => {
    // Default settings: the runtime's (limiter 8 at once, default breaker and retry) and the
    // CLI's (its own retries, which honour retry-after and report each as `api_retry`); only
    // the simulator's environment is given. The first RATE_LIMITED requests are answered 429.
    const runtime = createRuntime({ defaults: { env: sim.env.options.env } });
    const replies = [
      ...Array.from({ length: RATE_LIMITED }, () => ({
        kind: 'error' as const,
        status: 429,
        retryAfterSec: 1,
      })),
      { kind: 'text' as const, text: 'calm again' },
    ];
    sim.env.simulator.on(/^storm /, replies);

    // Sampled every 10 ms: the limiter's pauses and whether the breaker ever left `closed`.
    const pauses: Window[] = [];
    const breakerStates = new Set<string>();
    const sample = setInterval(() => {
      const { limiter, breaker } = runtime.system();
      breakerStates.add(breaker?.state().state ?? 'none');
      const until = limiter?.state().pausedUntil;
      if (until === undefined || until <= Date.now()) return;
      const last = pauses.at(-1);
      if (last && last.until >= Date.now()) last.until = Math.max(last.until, until);
      else pauses.push({ from: Date.now(), until });
    }, 10);

    const spawnedAt = new Map<string, number[]>();
    const handles = Array.from({ length: QUERIES }, (_, i) => {
      const prompt = `storm ${i}`;
      const handle = runtime.query(prompt);
      spawnedAt.set(prompt, []);
      handle.events$.subscribe((event) => {
        if (event.type === 'query.spawned') spawnedAt.get(prompt)!.push(Date.now());
      });
      return handle;
    });
    const results = await Promise.all(handles.map((handle) => handle.result));
    clearInterval(sample);

    // Nothing lost: every query succeeded, in one attempt each (the CLI retried the 429s).
    expect(results.map((r) => r.status)).toEqual(Array(QUERIES).fill('succeeded'));
    expect(results.map((r) => r.attempts)).toEqual(Array(QUERIES).fill(1));
    // 429s are backpressure: the breaker stayed closed throughout.
    expect([...breakerStates]).toEqual(['closed']);

    const requests = sim.env.simulator.requests.filter((r) => r.prompt.startsWith('storm '));
    expect(requests).toHaveLength(QUERIES + RATE_LIMITED);
    // The limiter paused for the retry-after the CLI reported (1 s and its backoff), not for
    // its 60 s default.
    expect(pauses.length).toBeGreaterThan(0);
    for (const pause of pauses) expect(pause.until - pause.from).toBeLessThan(10_000);
    const inPause = (t: number) => pauses.some((p) => t >= p.from && t < p.until);
    // No CLI was started while the limiter was paused ...
    const spawns = [...spawnedAt.values()].flat();
    expect(spawns.filter(inPause)).toEqual([]);
    // ... so a request that reached the simulator during a pause came from a CLI started
    // before the pause (already in flight when the first 429 came back), never a new one.
    for (const request of requests.filter((r) => inPause(r.at))) {
      const started = spawnedAt.get(request.prompt)!.filter((t) => t <= request.at);
      const pause = pauses.find((p) => request.at >= p.from && request.at < p.until)!;
      expect(Math.max(...started)).toBeLessThan(pause.from);
    }
    // A rate-limited request was tried again no sooner than the retry-after (1 s).
    const rateLimited = requests.slice(0, RATE_LIMITED);
    for (const first of rateLimited) {
      const retry = requests.find((r) => r.prompt === first.prompt && r.at > first.at);
      expect(retry).toBeDefined();
      expect(retry!.at - first.at).toBeGreaterThanOrEqual(1_000);
    }

    // Stats agree with the results.
    const total = runtime.stats()!.total;
    expect(total).toMatchObject({
      queries: QUERIES,
      succeeded: QUERIES,
      failed: 0,
      cancelled: 0,
      refused: 0,
      retries: 0,
    });
    expect(total.costUsd).toBeCloseTo(
      results.reduce((sum, r) => sum + r.costUsd, 0),
      9,
    );
    expect(runtime.system().limiter?.state().inFlight).toBe(0);
    await runtime.stop();
  }, 180_000);
});
