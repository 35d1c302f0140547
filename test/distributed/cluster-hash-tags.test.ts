import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { cancelChannelOf } from '../../src/distributed/job/cancel-channel.js';
import { admissionKeys } from '../../src/distributed/redis-admission-keys.js';
import { redisHashTag } from '../../src/distributed/redis-hash-tag.js';
import { createSharedBudget } from '../../src/distributed/shared-budget.js';
import { createSharedPause } from '../../src/distributed/shared-pause.js';

/** A Redis that records the keys of each script and transaction (one Cluster slot each). */
function recordingRedis() {
  const groups: { what: string; keys: string[] }[] = [];
  const redis = {
    eval: async (script: string, numKeys: number, ...rest: unknown[]) => {
      groups.push({
        what: script.trim().split('\n')[0]!,
        keys: rest.slice(0, numKeys) as string[],
      });
      return [1, 0, 0, 0];
    },
    multi: () => {
      const keys: string[] = [];
      const touch = (key: string) => {
        keys.push(key);
        return chain;
      };
      const chain = {
        pttl: touch,
        get: touch,
        exec: async () => {
          groups.push({ what: 'MULTI', keys });
          return keys.map(() => [null, -2]);
        },
      };
      return chain;
    },
  };
  return { redis: redis as unknown as Redis, groups };
}

describe('redisHashTag', () => {
  it.each([
    ['{bull}:tasks:meta', 'bull'],
    ['bull:{tasks}:meta', 'tasks'],
    ['{bull:tasks}:claude-actors:pause', 'bull:tasks'],
    ['bull:tasks:meta', undefined],
    ['{}:tasks', undefined],
    ['}{bull}', 'bull'],
    ['{bull', undefined],
    ['{a}{b}', 'a'],
  ])('finds the tag of %s: %s', (key, tag) => {
    expect(redisHashTag(key)).toBe(tag);
  });
});

describe('admission keys on Redis Cluster', () => {
  it('keeps the names of earlier versions when the prefix has no tag (single Redis)', () => {
    // A budget spent, a pause or a cancelled run recorded before an upgrade is still read.
    const keys = admissionKeys('bull', 'tasks');
    expect(keys.pause).toBe('bull:tasks:claude-actors:pause');
    expect(keys.budgetSpent).toBe('bull:tasks:claude-actors:budget:spent');
    expect(keys.cancelled('run-1')).toBe('bull:tasks:claude-actors:cancelled:run-1');
    // BullMQ's own keys are named by BullMQ.
    expect(keys.bullLimiter).toBe('bull:tasks:limiter');
  });

  it('keeps the channels the workers listen on (channels are no keys)', () => {
    for (const prefix of ['bull', '{bull}']) {
      const keys = admissionKeys(prefix, 'tasks');
      expect(keys.cancelChannel).toBe(cancelChannelOf(prefix, 'tasks'));
      expect(keys.pauseChannel).toBe(`${prefix}:tasks:claude-actors:pauses`);
    }
  });

  it("shares BullMQ's tag when the prefix has one, as BullMQ advises for Cluster", () => {
    const keys = admissionKeys('{bull}', 'tasks');
    expect(keys.pause).toBe('{bull}:tasks:claude-actors:pause');
    for (const key of [keys.budgetSpent, keys.pause, keys.bullLimiter, keys.bullMeta]) {
      expect(redisHashTag(key)).toBe('bull');
    }
  });

  it.each([
    ['{bull}', 'tasks'],
    ['{my:app}', 'claude-actors'],
    ['app:{bull}', 'q'],
  ])('with the tagged prefix %s and queue %s, every script and MULTI touches one slot', async (prefix, queue) => {
    const keys = admissionKeys(prefix, queue);
    const { redis, groups } = recordingRedis();
    const pause = createSharedPause({ redis, keys, origin: 'w1' });
    await pause.publish(Date.now() + 30_000, 'HTTP 429');
    await pause.state();
    await pause.ensureLimiter();
    const budget = createSharedBudget({ redis, keys, limitUsd: 5 });
    await budget.reserve('job-1', 0.5);
    await budget.settle('job-1', 0.25);
    await budget.renew('job-1');
    await budget.state();
    expect(groups.length).toBeGreaterThanOrEqual(8);
    for (const { what, keys: touched } of groups) {
      expect(touched.length, what).toBeGreaterThan(0);
      const tags = new Set(touched.map(redisHashTag));
      // A single key is one slot whatever its tag; several need the same, defined tag.
      if (touched.length > 1) {
        expect([...tags], `${what}: ${touched.join(' ')}`).toHaveLength(1);
        expect(tags.has(undefined), `${what}: ${touched.join(' ')}`).toBe(false);
      }
    }
    const own = [keys.budgetSpent, keys.pause, keys.cancelled('r')];
    expect(new Set(own.map(redisHashTag)).size).toBe(1);
    expect(redisHashTag(keys.pause)).toBeDefined();
  });
});
