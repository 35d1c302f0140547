import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import type { SupervisionNode } from '../../src/runtime/supervision-tree.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function maxRestarts(node: SupervisionNode): number {
  return Math.max(node.restarts, ...(node.children ?? []).map(maxRestarts));
}

describe('a total timeout met while a runtime query waits to retry', () => {
  it('ends that query once, with TOTAL_TIMEOUT, and leaves the other queries alone', async () => {
    const { spawn } = scriptedSpawn((prompt) =>
      prompt === 'slow' ? { text: 'done', delayMs: 8_000 } : { apiErrorStatus: 529, delayMs: 10 },
    );
    const runtime = createRuntime({
      defaults: {
        executable: process.execPath,
        retry: { maxAttempts: 5, initialDelayMs: 10_000, jitter: 0 },
      },
      processes: { spawn },
    });
    let restarts = 0;
    const tree = runtime.tree$.subscribe((node) => {
      restarts = Math.max(restarts, maxRestarts(node));
    });
    const other = runtime.query('slow');
    const timedOut = runtime.query('q', { timeouts: { totalMs: 3_000 } });
    await vi.advanceTimersByTimeAsync(10_000);
    const [a, b] = await Promise.all([timedOut.result, other.result]);
    tree.unsubscribe();
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;

    expect(a).toMatchObject({ status: 'failed', error: { code: 'TOTAL_TIMEOUT' } });
    expect(a.attempts).toBe(1);
    expect(b.status).toBe('succeeded');
    // One planned restart at most (the one that waits out the backoff), never a storm.
    expect(restarts).toBeLessThanOrEqual(1);
  });
});
