import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { type Harness, startedRef, startSupervisor } from './fixtures/harness.js';
import { worker } from './fixtures/worker.js';

// Real timers here, and every stop is immediate (no polite waits). Timing is the bench's job
// (`npm run bench:supervisor` prints the 100k / 1k ratios); these tests assert correctness at scale.

function startSimple(): Harness {
  return startSupervisor({ strategy: 'simple_one_for_one' }, [
    { id: 'w', start: () => worker, restart: 'temporary' },
  ]);
}

async function startMany({ client }: Harness, n: number): Promise<AnyActorRef[]> {
  const refs: AnyActorRef[] = [];
  for (let i = 0; i < n; i += 1) {
    const ref = startedRef(await client.startChild([i]));
    if (ref === undefined) {
      throw new Error(`child ${i} was ignored`);
    }
    refs.push(ref);
  }
  return refs;
}

/**
 * How many objects, arrays, maps and sets the supervisor's snapshot holds (symbol keys included),
 * without descending into actors: grows with every entry a supervisor forgets to remove.
 */
function footprint(value: unknown, seen = new Set<unknown>()): number {
  if (typeof value !== 'object' || value === null || seen.has(value)) {
    return 0;
  }
  seen.add(value);
  if ('sessionId' in value && 'send' in value) {
    return 1;
  }
  let count = 1;
  const visit = (inner: unknown) => {
    count += footprint(inner, seen);
  };
  if (value instanceof Map) {
    for (const [key, inner] of value) {
      count += 1;
      visit(key);
      visit(inner);
    }
  } else if (value instanceof Set) {
    for (const inner of value) {
      count += 1;
      visit(inner);
    }
  } else {
    for (const key of Reflect.ownKeys(value)) {
      visit((value as Record<PropertyKey, unknown>)[key]);
    }
  }
  return count;
}

/** Starts `n` children then terminates each by its actor; returns the time taken, ms. */
async function startAndTerminate(
  n: number,
): Promise<{ ms: number; harness: Harness; refs: AnyActorRef[]; baseline: number }> {
  const harness = startSimple();
  const baseline = footprint(harness.actor.getSnapshot());
  const began = performance.now();
  const refs = await startMany(harness, n);
  for (const ref of refs) {
    const result = await harness.client.terminateChild(ref);
    if (!result.ok) {
      throw new Error(`terminate failed: ${JSON.stringify(result)}`);
    }
  }
  return { ms: performance.now() - began, harness, refs, baseline };
}

describe('scale', () => {
  it('starts and terminates 10,000 children, leaving nothing behind', async () => {
    await startAndTerminate(1_000); // warm-up
    const small = await startAndTerminate(1_000);
    const large = await startAndTerminate(10_000);
    const { harness, refs, baseline } = large;
    expect(refs.every((ref) => ref.getSnapshot().status === 'stopped')).toBe(true);
    expect(harness.client.whichChildren()).toEqual([]);
    expect(harness.client.countChildren()).toMatchObject({ active: 0, supervisors: 0, workers: 0 });
    expect(harness.actor.getSnapshot().context.children).toEqual([]);
    expect(footprint(harness.actor.getSnapshot())).toBeLessThanOrEqual(baseline + 10);
    expect(small.refs).toHaveLength(1_000);
  });

  it('stops 10,000 children when it stops, leaving none running', async () => {
    const harness = startSimple();
    const refs = await startMany(harness, 10_000);
    expect(harness.client.countChildren()).toMatchObject({ active: 10_000, workers: 10_000 });
    await harness.client.stop();
    expect(refs.every((ref) => ref.getSnapshot().status === 'stopped')).toBe(true);
    expect(harness.actor.getSnapshot().status).toBe('done');
  });

  it('answers 20,000 calls in flight at once, each with its own reply', async () => {
    const harness = startSimple();
    const results = await Promise.all(
      Array.from({ length: 20_000 }, (_, i) => harness.client.startChild([i])),
    );
    const refs = results.map((result) => startedRef(result));
    expect(new Set(refs).size).toBe(20_000);
    expect(harness.client.countChildren()).toMatchObject({ active: 20_000 });
    const terminated = await Promise.all(refs.map((ref) => harness.client.terminateChild(ref!)));
    expect(terminated.every((result) => result.ok)).toBe(true);
    expect(harness.client.whichChildren()).toEqual([]);
    expect(refs.every((ref) => ref!.getSnapshot().status === 'stopped')).toBe(true);
  });

  it('forgets 10,000 temporary children that end by themselves', async () => {
    const harness = startSimple();
    const baseline = footprint(harness.actor.getSnapshot());
    const refs = await startMany(harness, 10_000);
    for (const ref of refs) {
      ref.send({ type: 'FINISH' });
    }
    await Promise.resolve();
    expect(refs.every((ref) => ref.getSnapshot().status === 'done')).toBe(true);
    expect(harness.client.whichChildren()).toEqual([]);
    expect(harness.client.countChildren()).toMatchObject({ active: 0, workers: 0 });
    expect(footprint(harness.actor.getSnapshot())).toBeLessThanOrEqual(baseline + 10);
    expect(harness.actor.getSnapshot().status).toBe('active');
  });
});
