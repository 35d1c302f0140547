import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/cli/dispatch.js';
import { queueCommand } from '../../src/cli/queue-command.js';
import { recordDeadLetter } from '../../src/distributed/dead-letter.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { captureIo } from './capture.js';

const why = redisUnavailable();

describe('claude-actors queue: usage', () => {
  it.each([
    [['stats'], '--redis URL is required'],
    [['stats', '--redis', 'http://x'], '--redis: expected a redis:// or rediss:// URL'],
    [['--redis', 'redis://x'], 'expected an action: stats, cancel, clean, dead'],
    [['stat', '--redis', 'redis://x'], 'unknown action `stat` (did you mean `stats`?)'],
    [['cancel', '--redis', 'redis://x'], 'cancel: expected one run id'],
    [['dead', 'requeue', '--redis', 'redis://x'], 'dead requeue: expected job ids'],
    [['dead', 'bury', '--redis', 'redis://x'], 'dead: expected list, requeue <job> or purge'],
    [
      ['clean', '--redis', 'redis://x', '--older-than', '3 days'],
      '--older-than: expected a duration',
    ],
    [['stats', '--redis', 'redis://x', '--older-than', '1d'], '--older-than is for `clean` only'],
  ])('%j → %s (exit 2)', async (args, message) => {
    const { io, err } = captureIo();
    expect(await queueCommand(args, io)).toBe(2);
    expect(err()).toContain(message);
  });

  it('is registered, with its help', async () => {
    const { io, out } = captureIo();
    expect(await dispatch(['queue', '--help'], io)).toBe(0);
    expect(out()).toContain('--older-than AGE');
  });
});

describe.skipIf(why)('claude-actors queue (real Redis)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis?.stop());

  it('prints stats, cancels a run, cleans, and lists, requeues and purges dead letters', async () => {
    const prefix = redis.prefix();
    const flags = ['--redis', redis.url, '--queue', 'q', '--prefix', prefix];
    const connection = { host: redis.host, port: redis.port };
    const queue = new Queue('q', { connection, prefix });
    const dead = new Queue('q-dead', { connection, prefix });
    try {
      await queue.add('t', { runId: 'A' }, { jobId: 'A.one.1' });
      await queue.add('t', { runId: 'B' }, { jobId: 'B.one.1', delay: 60_000 });
      const failed = await queue.add('t', { runId: 'C' }, { jobId: 'C.one.1' });
      failed.failedReason = 'rate limited 3 times';
      failed.attemptsMade = 3;
      await recordDeadLetter(dead, failed, new Error('x'));

      let io = captureIo();
      expect(await queueCommand(['stats', ...flags], io.io)).toBe(0);
      expect(io.out()).toContain('q: 2 waiting, 0 active, 1 delayed');
      expect(io.out()).toContain('1 dead-lettered');
      io = captureIo();
      expect(await queueCommand(['stats', '--json', ...flags], io.io)).toBe(0);
      expect(JSON.parse(io.out())).toMatchObject({ waiting: 2, delayed: 1, deadLettered: 1 });

      io = captureIo();
      expect(await queueCommand(['cancel', 'A', ...flags], io.io)).toBe(0);
      expect(io.out()).toContain('run A: 1 job(s) removed before they started, 0 active');
      expect(await queue.getJob('A.one.1')).toBeUndefined();

      io = captureIo();
      expect(await queueCommand(['clean', '--older-than', '1h', ...flags], io.io)).toBe(0);
      expect(io.out()).toContain('removed 0 completed and 0 failed job(s)');

      io = captureIo();
      expect(await queueCommand(['dead', ...flags], io.io)).toBe(0);
      expect(io.out()).toMatch(/C\.one\.1 {2}\S+ {2}3\/1 attempt\(s\) {2}rate limited 3 times/);
      io = captureIo();
      expect(await queueCommand(['dead', 'requeue', 'C.one.1', 'nope', ...flags], io.io)).toBe(1);
      expect(io.out()).toContain('requeued C.one.1');
      expect(io.err()).toContain('no dead letter nope');
      await recordDeadLetter(dead, failed, new Error('x'));
      io = captureIo();
      expect(await queueCommand(['dead', 'purge', ...flags], io.io)).toBe(0);
      expect(io.out()).toContain('purged 1 dead letter(s)');
    } finally {
      await queue.close();
      await dead.close();
    }
  });

  it('fails (exit 1) with a message when Redis cannot be reached, the password not shown', async () => {
    const { io, err } = captureIo();
    const url = 'redis://:hunter2secret@127.0.0.1:1';
    expect(await queueCommand(['stats', '--redis', url], io)).toBe(1);
    expect(err()).toContain(
      'claude-actors queue: cannot reach Redis at redis://:[redacted]@127.0.0.1:1: connect ECONNREFUSED',
    );
    expect(err()).not.toContain('hunter2secret');
  });
});
