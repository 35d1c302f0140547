import { describe, expect, it } from 'vitest';
import { parseSessionOptions } from '../../../src/machines/session/session-options.js';

describe('parseSessionOptions', () => {
  it('applies the session defaults', () => {
    const options = parseSessionOptions({});
    expect(options).toMatchObject({ controlTimeoutMs: 10_000, closeTimeoutMs: 10_000 });
    // The callbacks' timeout defaults where it is used (60 s): no callback, no field.
    expect(options.callbackTimeoutMs).toBeUndefined();
    expect(options.permissionPromptTool).toBeUndefined();
  });

  it('turns on the stdio permission prompt tool when canUseTool is given', () => {
    const options = parseSessionOptions({ canUseTool: async () => ({ behavior: 'allow' }) });
    expect(options.permissionPromptTool).toBe('stdio');
  });

  it('accepts the longest timer Node honours', () => {
    expect(parseSessionOptions({ callbackTimeoutMs: 2 ** 31 - 1 }).callbackTimeoutMs).toBe(
      2 ** 31 - 1,
    );
  });

  it.each([
    [{ controlTimeoutMs: 0 }, /controlTimeoutMs/],
    [{ canUseTool: 'yes' }, /canUseTool/],
    [{ hooks: { PreToolUse: [{ hooks: [] }] } }, /hooks/],
    [{ maxTurns: -1 }, /maxTurns/],
    // Node fires a longer timer after 1 ms.
    [
      { controlTimeoutMs: 2 ** 31 },
      /`controlTimeoutMs`: expected at most 2147483647 ms.*2147483648/,
    ],
    [{ closeTimeoutMs: 2 ** 31 }, /`closeTimeoutMs`: expected at most 2147483647 ms.*2147483648/],
    [{ callbackTimeoutMs: 2 ** 31 }, /`callbackTimeoutMs`: expected at most.*2147483648/],
  ])('rejects %j', (input, message) => {
    expect(() => parseSessionOptions(input as never)).toThrow(message);
  });
});
