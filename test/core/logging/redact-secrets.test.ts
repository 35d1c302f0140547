import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logging/create-logger.js';
import { redactSecrets } from '../../../src/core/redaction/redact-secrets.js';

describe('redactSecrets', () => {
  it.each([
    ['key sk-ant-api03-AbCdEf123456789 failed', 'key [redacted] failed'],
    ['Authorization: Bearer abc.def.ghi123', 'Authorization: Bearer [redacted]'],
    ['x-api-key: sk-test-1234567890abcdef', 'x-api-key: [redacted]'],
    ['ANTHROPIC_API_KEY=supersecretvalue', 'ANTHROPIC_API_KEY=[redacted]'],
    ['nothing secret here', 'nothing secret here'],
    ['at redis://worker:hunter2hunter@cache:6379/0', 'at redis://worker:[redacted]@cache:6379/0'],
    ['proxy https://:tok3n@proxy.local down', 'proxy https://:[redacted]@proxy.local down'],
    ['see https://example.com/a:b@c', 'see https://example.com/a:b@c'],
    ['mail me: user@example.com', 'mail me: user@example.com'],
    // Up to the last `@` before the host, as URL parsers split a password with `@` or `/`.
    ['redis://user:p@ss@host:1/0 x', 'redis://user:[redacted]@host:1/0 x'],
    ['redis://:pa/ss@host', 'redis://:[redacted]@host'],
    [
      'redis://a:b1@h1 and redis://c:d2@h2/x',
      'redis://a:[redacted]@h1 and redis://c:[redacted]@h2/x',
    ],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  // A quadratic scan takes minutes on a megabyte of these (a hostile CLI's stderr, a model's
  // answer); a linear one well under the test's timeout.
  it.each([
    'a.',
    'word-',
    'a://b:',
    'http://x:y',
    'a://b:@',
  ])('scans a megabyte of %j in linear time', (unit) => {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    expect(redactSecrets(text).length).toBeGreaterThan(0);
  }, 10_000);
});

describe('createLogger', () => {
  it('is silent by default', () => {
    expect(createLogger().level).toBe('silent');
  });

  it('never writes api keys or environments', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info' }, sink);
    logger.info(
      {
        apiKey: 'sk-ant-xyz',
        env: { ANTHROPIC_API_KEY: 'sk-ant-xyz' },
        options: { apiKey: 'sk-ant-xyz' },
      },
      'hello',
    );
    expect(lines.join('')).not.toContain('sk-ant-xyz');
    expect(lines.join('')).toContain('[redacted]');
    expect(pino).toBeTypeOf('function');
  });
});
