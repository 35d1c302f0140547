import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bullmqBackend } from '../../src/distributed/bullmq-backend.js';
import type { CliMessage } from '../../src/protocol/cli-message.js';
import { distributedParts, taskRunsOf } from '../helpers/distributed-parts.js';
import { redisUnavailable, startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { fakeRuntime } from './fake-runtime.js';

const why = redisUnavailable();

const run = taskRunsOf('run-1');

describe.skipIf(why !== undefined)('bullmqBackend with a worker on real Redis', () => {
  let redis: TestRedis;
  let client: Redis;
  const closers: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    redis = await startTestRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  const { backendOn, workerOn } = distributedParts({
    url: () => redis.url,
    closers,
    worker: { concurrency: 2 },
    closeDeadlineMs: 1_000,
  });

  it('runs a task on a worker and brings back its result and its session', async () => {
    const prefix = redis.prefix();
    const fake = fakeRuntime({ autoSucceed: () => 'the answer' });
    await workerOn(prefix, fake);
    const backend = backendOn(prefix);
    const handle = backend.query('Do it', { model: 'sonnet' }, run('a'));
    const messages: CliMessage[] = [];
    handle.messages$.subscribe((m) => messages.push(m));
    const result = await handle.result;
    expect(result).toMatchObject({
      status: 'succeeded',
      text: 'the answer',
      queryId: 'run-1:a:1',
      attempts: 1,
    });
    expect(fake.queries).toHaveLength(1);
    expect(fake.queries[0]!.prompt).toBe('Do it');
    expect(fake.queries[0]!.options).toMatchObject({ model: 'sonnet' });
    expect(result.sessionId).toBe(fake.queries[0]!.sessionId);
    // The init the scheduler journals the session from.
    expect(messages).toContainEqual(
      expect.objectContaining({ type: 'system', subtype: 'init', session_id: result.sessionId }),
    );
  });

  it('runs a task dispatched twice (same run, task and attempt) once', async () => {
    const prefix = redis.prefix();
    const fake = fakeRuntime();
    await workerOn(prefix, fake);
    const backend = backendOn(prefix);
    const first = backend.query('Once', {}, run('once'));
    const second = backend.query('Once', {}, run('once'));
    const [query] = await fake.started(1);
    query!.succeed('one run');
    const [a, b] = await Promise.all([first.result, second.result]);
    expect(a.text).toBe('one run');
    expect(b.text).toBe('one run');
    // Dispatched again after it finished: still the same job, not a new run.
    const third = await backend.query('Once', {}, run('once')).result;
    expect(third.text).toBe('one run');
    expect(fake.queries).toHaveLength(1);
    // The next attempt is another job.
    const next = backend.query('Once', {}, run('once', 2));
    (await fake.started(2))[1]!.succeed('second attempt');
    expect((await next.result).text).toBe('second attempt');
  });

  it('writes no credential to Redis', async () => {
    const prefix = redis.prefix();
    const backend = backendOn(prefix);
    const handle = backend.query(
      'Secretive',
      {
        apiKey: 'sk-ant-api03-verysecretvalue',
        env: { GITHUB_TOKEN: 'ghp_secretvalue123', CI: '1' },
      },
      run('secret'),
    );
    let stored: Record<string, string> = {};
    for (let i = 0; i < 50 && !stored.data; i++) {
      stored = await client.hgetall(`${prefix}:claude-actors:run-1.secret.1`);
      if (!stored.data) await new Promise((r) => setTimeout(r, 20));
    }
    expect(JSON.parse(stored.data!).options).toEqual({ env: { CI: '1' } });
    const everything = JSON.stringify(
      await client.hgetall(`${prefix}:claude-actors:run-1.secret.1`),
    );
    expect(everything).not.toContain('verysecret');
    expect(everything).not.toContain('ghp_');
    handle.cancel();
    expect((await handle.result).status).toBe('cancelled');
  });

  it('cancels a waiting job by removing it from the queue', async () => {
    const prefix = redis.prefix();
    const backend = backendOn(prefix);
    const handle = backend.query('Never taken', {}, run('waiting'));
    for (
      let i = 0;
      i < 50 && !(await client.exists(`${prefix}:claude-actors:run-1.waiting.1`));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    handle.cancel('not needed');
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(result.error?.message).toMatch(/not needed/);
    expect(await client.exists(`${prefix}:claude-actors:run-1.waiting.1`)).toBe(0);
    // A worker started later finds nothing to run.
    const fake = fakeRuntime();
    await workerOn(prefix, fake);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.queries).toHaveLength(0);
  });

  it('cancels an active job: the worker aborts its query', async () => {
    const prefix = redis.prefix();
    const fake = fakeRuntime();
    await workerOn(prefix, fake);
    const backend = backendOn(prefix);
    const handle = backend.query('Long', {}, run('long'));
    const [query] = await fake.started(1);
    handle.cancel('stop it');
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect((await query!.result).status).toBe('cancelled');
    expect(query!.runtimeOptions.signal?.aborted).toBe(true);
  });

  it('fails loudly with BACKEND_UNAVAILABLE when Redis cannot be reached', async () => {
    const backend = bullmqBackend({
      connection: 'redis://127.0.0.1:1',
      commandTimeoutMs: 200,
      unavailableMs: 600,
      pollMs: 100,
    });
    closers.push(() => backend.close());
    await expect(backend.ready()).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    const started = Date.now();
    const result = await backend.query('Nowhere', {}, run('down')).result;
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE', retryable: true });
    expect(result.error?.message).toMatch(/redis:\/\/127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('never puts a Redis password in its errors', async () => {
    const backend = bullmqBackend({
      connection: 'redis://user:hunter2secret@127.0.0.1:1',
      commandTimeoutMs: 200,
    });
    closers.push(() => backend.close());
    const error = await backend.ready().catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('refuses options that name the field and the value', () => {
    expect(() => bullmqBackend({ connection: 'http://x', queueName: 'a:b' } as never)).toThrow(
      /connection|queueName/,
    );
  });
});
