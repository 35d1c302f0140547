import { describe, expect, it } from 'vitest';
import { parseSessionOptions } from '../../../src/machines/session/session-options.js';
import { sessionProcessInput } from '../../../src/machines/session/session-process-input.js';

const executable = process.execPath;

describe('sessionProcessInput', () => {
  it('keeps stdin open and writes nothing by itself: the session machine drives it', () => {
    const options = parseSessionOptions({ executable, maxLineBytes: 2048 });
    const input = sessionProcessInput({ sessionKey: 'chat', options });
    expect(input).toMatchObject({
      sessionKey: 'chat',
      messages: [],
      stdin: 'open',
      maxLineBytes: 2048,
      killGraceMs: options.timeouts.killGraceMs,
      logBindings: { sessionKey: 'chat' },
    });
  });

  it('starts the CLI with the argv of the session options', () => {
    const options = parseSessionOptions({
      executable,
      canUseTool: async () => ({ behavior: 'allow' }),
    });
    const spawn = sessionProcessInput({ sessionKey: 'chat', options }).spawnOptions({ HOME: '/h' });
    expect(spawn.executable).toBe(executable);
    expect(spawn.args.join(' ')).toContain('--permission-prompt-tool stdio');
    expect(spawn.env).toMatchObject({ HOME: '/h' });
    // A session never hands its CLI back to a pool (stdin stays open): a warm one may serve it.
    expect(spawn).not.toHaveProperty('exclusive');
  });
});
