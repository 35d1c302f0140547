import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/cli/dispatch.js';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { captureIo } from './capture.js';

describe('claude-actors worker: the command line', () => {
  it('needs --redis, and says how to give it', async () => {
    const { io, err } = captureIo();
    expect(await dispatch(['worker', '--concurrency', '2'], io)).toBe(EXIT_CODES.usage);
    expect(err()).toMatch(/--redis URL is required, e\.g\. --redis redis:\/\/127\.0\.0\.1:6379/);
  });

  it.each([
    [
      ['--redis', 'http://127.0.0.1:6379'],
      /--redis: expected a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/127\.0\.0\.1:6379"/,
    ],
    [['--redis', 'redis://h', '--queue', 'a:b'], /--queue: expected up to 128 letters.*got "a:b"/],
    [['--redis', 'redis://h', '--concurrency', '0'], /concurrency/],
    [
      ['--redis', 'redis://h', '--budget-usd', 'lots'],
      /--budget-usd: expected a non-negative amount of USD such as 0\.5, got "lots"/,
    ],
    [['--redis', 'redis://h', '--global-concurrency', '0'], /--global-concurrency: expected/],
  ])('refuses %j naming the flag and the value', async (args, message) => {
    const { io, err } = captureIo();
    expect(await dispatch(['worker', ...args], io)).toBe(EXIT_CODES.usage);
    expect(err()).toMatch(message);
  });

  it('never shows the password of a bad --redis URL', async () => {
    const { io, err } = captureIo();
    expect(await dispatch(['worker', '--redis', 'http://u:hunter2pw@h'], io)).toBe(
      EXIT_CODES.usage,
    );
    expect(err()).not.toContain('hunter2pw');
    expect(err()).toContain('[redacted]');
  });

  it('is in the help, with its flags', async () => {
    const { io, out } = captureIo();
    expect(await dispatch(['worker', '--help'], io)).toBe(EXIT_CODES.ok);
    expect(out()).toMatch(/Usage: claude-actors worker \[flags\]/);
    for (const flag of [
      '--redis URL',
      '--concurrency N',
      '--queue NAME',
      '--shutdown-ms MS',
      '--live',
    ]) {
      expect(out()).toContain(flag);
    }
  });

  it('run refuses a --redis that is not a Redis URL, before anything runs', async () => {
    const { io, err } = captureIo();
    expect(await dispatch(['run', 'missing-plan.yaml', '--redis', 'localhost:6379'], io)).toBe(
      EXIT_CODES.usage,
    );
    expect(err()).toMatch(
      /--redis: expected a redis:\/\/ or rediss:\/\/ URL, got "localhost:6379"/,
    );
  });

  it('run --redis with no Redis there fails loudly (exit 1, BACKEND_UNAVAILABLE), running nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-run-redis-'));
    try {
      const plan = join(dir, 'plan.json');
      writeFileSync(plan, JSON.stringify({ tasks: [{ id: 'a', prompt: 'x' }] }));
      const { io, err } = captureIo();
      const code = await dispatch(
        ['run', plan, '--redis', 'redis://127.0.0.1:1', '--no-store', '--output', join(dir, 'out')],
        io,
      );
      expect(code).toBe(EXIT_CODES.failed);
      expect(err()).toMatch(/Redis \(redis:\/\/127\.0\.0\.1:1\) did not answer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
