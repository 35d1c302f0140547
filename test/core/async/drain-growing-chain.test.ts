import { describe, expect, it } from 'vitest';
import { drainGrowingChain } from '../../../src/core/async/drain-growing-chain.js';

describe('drainGrowingChain', () => {
  it('waits for links added while it waits, not only the tail it first saw', async () => {
    const done: string[] = [];
    let chain: Promise<void> = Promise.resolve();
    const enqueue = (name: string, then?: () => void): void => {
      chain = chain.then(async () => {
        done.push(name);
        then?.();
      });
    };
    // Each write queues the next one when it runs.
    enqueue('a', () => enqueue('b', () => enqueue('c')));
    await drainGrowingChain(() => chain);
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('settles at once for a chain that does not grow', async () => {
    const chain = Promise.resolve();
    await expect(drainGrowingChain(() => chain)).resolves.toBeUndefined();
  });
});
