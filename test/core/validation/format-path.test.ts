import { describe, expect, it } from 'vitest';
import { formatPath } from '../../../src/core/validation/format-path.js';

describe('formatPath', () => {
  it.each([
    [['retry', 'maxAttempts'], 'retry.maxAttempts'],
    [['allowedTools', 1], 'allowedTools[1]'],
    [['env', 'MY.VAR'], 'env["MY.VAR"]'],
    [[], ''],
  ])('formats %j as %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});
