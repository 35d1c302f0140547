import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../../src/core/validation/invalid-options-error.js';
import { clampTimerMs, MAX_TIMER_MS } from '../../../src/core/validation/max-timer-ms.js';
import { timerMsSchema } from '../../../src/core/validation/timer-ms-schema.js';
import { validate } from '../../../src/core/validation/validate.js';
import { parseBullmqBackendOptions } from '../../../src/distributed/bullmq-backend-options.js';
import { parseRedisAdmissionOptions } from '../../../src/distributed/redis-admission-options.js';
import {
  parseWorkerCloseOptions,
  parseWorkerOptions,
} from '../../../src/distributed/worker-options.js';
import { parseProcessPoolOptions } from '../../../src/process/pool/pool-options.js';
import { parseRuntimeOptions } from '../../../src/runtime/runtime-options.js';

const connection = 'redis://127.0.0.1:6379';

/** The error `parse(input)` throws. */
function thrownBy(parse: (input: unknown) => unknown, input: unknown): InvalidOptionsError {
  try {
    parse(input);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('clampTimerMs', () => {
  it.each([
    [0, 0],
    [-5, 0],
    [Number.NaN, 0],
    [1_500, 1_500],
    [MAX_TIMER_MS, MAX_TIMER_MS],
    [MAX_TIMER_MS + 1, MAX_TIMER_MS],
    [1e12, MAX_TIMER_MS],
    [Number.POSITIVE_INFINITY, MAX_TIMER_MS],
  ])('makes %d a delay of %d', (ms, expected) => {
    expect(clampTimerMs(ms)).toBe(expected);
  });
});

describe('timerMsSchema', () => {
  it.each([
    [0, -1, 'expected a non-negative number'],
    [1, 0, 'expected a positive number'],
    [1_000, 999, 'expected a number >= 1000'],
  ])('with min %d refuses %d: %s', (min, value, message) => {
    expect(() => validate(timerMsSchema(min), value)).toThrow(message);
  });

  it('accepts the longest timer Node honours and refuses one more', () => {
    expect(validate(timerMsSchema(1), MAX_TIMER_MS)).toBe(MAX_TIMER_MS);
    expect(() => validate(timerMsSchema(1), MAX_TIMER_MS + 1)).toThrow(
      /expected at most 2147483647 ms.*2147483648/,
    );
  });
});

// Node fires a setTimeout/setInterval above 2³¹ − 1 ms after 1 ms: each of these options would
// silently mean "at once".
describe.each([
  ['pool', parseProcessPoolOptions, {}, ['maxIdleMs']],
  [
    'worker',
    parseWorkerOptions,
    // stalledIntervalMs may not exceed lockDurationMs.
    { connection, lockDurationMs: MAX_TIMER_MS },
    ['lockDurationMs', 'stalledIntervalMs', 'connectTimeoutMs', 'shutdownMs'],
  ],
  ['worker close', parseWorkerCloseOptions, {}, ['deadlineMs']],
  [
    'redis admission',
    parseRedisAdmissionOptions,
    { connection, queueName: 'q' },
    ['reservationTtlMs'],
  ],
  [
    'bullmq backend',
    parseBullmqBackendOptions,
    { connection },
    ['commandTimeoutMs', 'unavailableMs', 'pollMs', 'cancelGraceMs'],
  ],
] as const)('%s options', (_what, parse, base, fields) => {
  it.each(fields)('refuses %s above the longest timer, naming it and the value', (field) => {
    const input = { ...base, [field]: 1e12 };
    const error = thrownBy(parse as (input: unknown) => unknown, input);
    expect(error.issues.map((issue) => issue.path)).toContain(field);
    expect(error.message).toMatch(
      new RegExp(`\`${field}\`: expected at most 2147483647 ms.*1000000000000`),
    );
  });

  it.each(fields)('accepts %s at the longest timer', (field) => {
    const input = { ...base, [field]: MAX_TIMER_MS };
    expect((parse as (input: unknown) => Record<string, unknown>)(input)[field]).toBe(MAX_TIMER_MS);
  });
});

describe('runtime options', () => {
  it('refuses queries.shutdownMs above the longest timer', () => {
    const error = thrownBy(parseRuntimeOptions, { queries: { shutdownMs: 2 ** 31 } });
    expect(error.issues.map((issue) => issue.path)).toContain('queries.shutdownMs');
    expect(error.message).toContain('2147483648');
  });
});
