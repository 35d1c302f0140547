import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scrubbingLogger } from '../../../src/core/logging/scrubbing-logger.js';
import { clearKnownSecrets, registerSecrets } from '../../../src/core/redaction/secret-registry.js';
import { ApiError } from '../../../src/machines/query/errors/api-error.js';
import { runQuery } from '../../../src/machines/query/run-query.js';
import { runTaskQueue } from '../../../src/orchestration/task-queue/run-task-queue.js';
import type { ClaudeProcess, SpawnClaudeOptions } from '../../../src/process/spawn/spawn-claude.js';
import { createRuntime } from '../../../src/runtime/create-runtime.js';

const API_KEY = 'canary-logger-apikey-31f0';
const TOKEN = 'canary-logger-token-77aa';
const CANARIES = [API_KEY, TOKEN];

/** A plain pino logger of the caller's own, writing every line into `lines`. */
function userLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, destination), lines };
}

function expectNoCanary(lines: readonly string[]): void {
  for (const line of lines) {
    for (const canary of CANARIES) expect(line.includes(canary), `leaks in ${line}`).toBe(false);
  }
}

/** A CLI that echoes the secrets of its environment in garbage output, its result and stderr. */
function echoingSpawn() {
  let pid = 3_100_000;
  return (options: SpawnClaudeOptions): ClaudeProcess => {
    let settle!: (info: { exitCode: number; signal: undefined; stderrTail: string }) => void;
    const exited = new Promise<{ exitCode: number; signal: undefined; stderrTail: string }>(
      (resolve) => {
        settle = resolve;
      },
    );
    const leaked = Object.values(options.env)
      .filter((v) => CANARIES.includes(v))
      .join(' ');
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    return {
      pid: pid++,
      exited,
      write() {
        setTimeout(() => {
          options.onStdout(
            Buffer.from(
              `garbage ${leaked}\n` +
                line({
                  type: 'result',
                  subtype: 'success',
                  is_error: true,
                  result: `API Error: 400 bad key ${leaked}`,
                  terminal_reason: 'api_error',
                  api_error_status: 400,
                  session_id: 's',
                  total_cost_usd: 0,
                }),
            ),
          );
          setTimeout(() => settle({ exitCode: 1, signal: undefined, stderrTail: leaked }));
        }, 5);
        return true;
      },
      closeInput() {},
      terminate: () => exited,
      stop: () => exited,
      kill() {},
      stderrTail: () => leaked,
    };
  };
}

describe('a pino logger given by the caller', () => {
  beforeEach(() => {
    clearKnownSecrets();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('gets no secret from a runtime and a task queue, line by line', async () => {
    const { logger, lines } = userLogger();
    const runtime = createRuntime({
      defaults: {
        executable: process.execPath,
        apiKey: API_KEY,
        env: { MY_SERVICE_TOKEN: TOKEN },
        retry: { maxAttempts: 1 },
      },
      logger,
      processes: { spawn: echoingSpawn(), parentEnv: { PATH: '/usr/bin' } },
    });
    const run = runTaskQueue(runtime, { tasks: [{ id: 't', prompt: 'hi' }] }, { logger });
    await vi.advanceTimersByTimeAsync(1_000);
    const summary = await run.result;
    expect(summary.tasks[0]?.status).toBe('failed');
    const stopped = runtime.stop();
    await vi.runAllTimersAsync();
    await stopped;
    // Worth something only if the secrets did reach the log calls.
    expect(lines.join('\n')).toContain('[redacted]');
    expectNoCanary(lines);
  });

  it('gets no secret from an error the library logs raw (a throw after spawning)', async () => {
    const { logger, lines } = userLogger();
    const spawn = (options: SpawnClaudeOptions): ClaudeProcess => ({
      ...echoingSpawn()(options),
      write: () => {
        throw new Error(`stdin refused ${API_KEY}`);
      },
    });
    const { result } = runQuery(
      'hi',
      { executable: process.execPath, apiKey: API_KEY, retry: { maxAttempts: 1 } },
      { spawn, logger },
    );
    await vi.runAllTimersAsync();
    expect((await result).error?.message).toContain('stdin refused [redacted]');
    expect(lines.some((line) => line.includes('stdin refused [redacted]'))).toBe(true);
    expectNoCanary(lines);
  });

  it('scrubs the message, format arguments, merged object, errors and bindings', () => {
    registerSecrets([API_KEY, TOKEN]);
    const { logger, lines } = userLogger();
    const log = scrubbingLogger(logger).child({ note: `bound ${TOKEN}` });
    const err = new ApiError({ status: 400, detail: `echo ${API_KEY}` });
    (err as unknown as { extra: string }).extra = `field ${TOKEN}`;
    log.error(
      {
        err,
        env: { HOME: '/h' },
        apiKey: 'whatever-it-is',
        request: { headers: { Authorization: 'Basic abcdefgh', accept: 'json' } },
        nested: [{ deep: `list ${TOKEN}` }],
      },
      `failed with ${API_KEY} and %s`,
      TOKEN,
    );
    expectNoCanary(lines);
    const line = JSON.parse(lines[0]!);
    expect(line.note).toBe('bound [redacted]');
    expect(line.msg).toBe('failed with [redacted] and [redacted]');
    expect(line.err.type).toBe('ApiError');
    expect(line.err.message).toContain('echo [redacted]');
    expect(line.err.extra).toBe('field [redacted]');
    expect(line.env).toBe('[redacted]');
    expect(line.apiKey).toBe('[redacted]');
    expect(line.request.headers).toEqual({ Authorization: '[redacted]', accept: 'json' });
    expect(line.nested).toEqual([{ deep: 'list [redacted]' }]);
  });

  it('keeps the logger working as the caller set it up', () => {
    const { logger, lines } = userLogger();
    const log = scrubbingLogger(logger);
    expect(scrubbingLogger(log)).toBe(log);
    log.level = 'warn';
    expect(logger.level).toBe('warn');
    expect(log.isLevelEnabled('info')).toBe(false);
    log.info('dropped');
    log.warn('kept');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    log.warn({ cyclic }, 'cycle');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['kept', 'cycle']);
    expect(JSON.parse(lines[1]!).cyclic).toEqual({ a: 1, self: '[Circular]' });
  });
});

describe('scrubbingLogger identity', () => {
  it('returns a logger it made (or its child) as it is, so lines are scrubbed once', () => {
    clearKnownSecrets();
    registerSecrets([API_KEY]);
    const { logger, lines } = userLogger();
    const once = scrubbingLogger(logger);
    expect(once).not.toBe(logger);
    expect(scrubbingLogger(once)).toBe(once);
    const child = once.child({ queryId: 'q1' });
    expect(scrubbingLogger(child)).toBe(child);
    scrubbingLogger(child).info(`key ${API_KEY}`);
    expect(lines).toHaveLength(1);
    expectNoCanary(lines);
    expect(Object.getOwnPropertySymbols(once)).toEqual(Object.getOwnPropertySymbols(logger));
    clearKnownSecrets();
  });
});
