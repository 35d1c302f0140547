import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Redis the tests can use: `REDIS_URL`'s, or a private `redis-server` on a free port. */
export interface TestRedis {
  /** `redis://127.0.0.1:PORT` (or `REDIS_URL`). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** A key prefix no other test (or test run on a shared `REDIS_URL`) uses. */
  prefix(): string;
  /** Kills the private server (SIGKILL: nothing saved) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Kills the private server (not one from `REDIS_URL`). */
  kill(): void;
  /** Starts the private server again after {@link TestRedis.kill}. */
  start(): Promise<void>;
  /** Stops the private server and removes its folder. */
  stop(): Promise<void>;
}

/** Why no Redis can be had here, or undefined when one can. */
export function redisUnavailable(): string | undefined {
  if (process.env.REDIS_URL) return undefined;
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error === undefined && found.status === 0) return undefined;
  const why = 'no redis-server on PATH and no REDIS_URL (Debian: apt-get install redis-server)';
  if (process.env.CLAUDE_ACTORS_REQUIRE_REDIS) {
    throw new Error(`${why}; CLAUDE_ACTORS_REQUIRE_REDIS is set, so the Redis tests cannot skip`);
  }
  return why;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function startServer(port: number, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--protected-mode',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start on port ${port} in 10 s:\n${out}`));
    }, 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${out}`));
    });
  });
}

/**
 * Starts a Redis for a test file: `REDIS_URL` when set, else a private `redis-server` (no
 * persistence, its own temp folder) on a free port. Use with {@link redisUnavailable}:
 *
 * @example
 * ```ts
 * const why = redisUnavailable();
 * describe.skipIf(why)('…', () => {
 *   let redis: TestRedis;
 *   beforeAll(async () => { redis = await startTestRedis(); });
 *   afterAll(() => redis.stop());
 * });
 * ```
 */
export async function startTestRedis(): Promise<TestRedis> {
  const runTag = randomBytes(4).toString('hex');
  let seq = 0;
  const prefix = (): string => `ca-test-${runTag}-${++seq}`;
  const shared = process.env.REDIS_URL;
  if (shared) {
    const parsed = new URL(shared);
    const noop = async (): Promise<void> => {
      throw new Error('the Redis of REDIS_URL is not the tests own: it cannot be restarted');
    };
    return {
      url: shared,
      host: parsed.hostname,
      port: Number(parsed.port || 6379),
      prefix,
      restart: noop,
      kill: () => {
        throw new Error('the Redis of REDIS_URL is not the tests own: it cannot be killed');
      },
      start: noop,
      stop: async () => undefined,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ca-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await startServer(port, dir);
  const kill = (): void => {
    child?.kill('SIGKILL');
    child = undefined;
  };
  const waitExit = (c: ChildProcess | undefined): Promise<void> =>
    c && c.exitCode === null && c.signalCode === null
      ? new Promise((resolve) => c.once('exit', () => resolve()))
      : Promise.resolve();
  const start = async (): Promise<void> => {
    if (!child) child = await startServer(port, dir);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    prefix,
    kill,
    start,
    restart: async () => {
      const old = child;
      kill();
      await waitExit(old);
      await start();
    },
    stop: async () => {
      const old = child;
      kill();
      await waitExit(old);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
