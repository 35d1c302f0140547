import { describe, expect, it } from 'vitest';
import { parseQueryOptions } from '../../../src/machines/query/options/parse-options.js';
import { queryProcessInput } from '../../../src/machines/query/query-process-input.js';
import { userMessage } from '../../../src/protocol/host-message-builders.js';

const executable = process.execPath;
const sessionId = '0b7e3f6a-2c1d-4e5f-9a8b-7c6d5e4f3a2b';

describe('queryProcessInput', () => {
  it('writes the prompt as one user message and closes stdin after it', () => {
    const options = parseQueryOptions({ executable, maxLineBytes: 4096 });
    const input = queryProcessInput({ queryId: 'q1', prompt: 'hi', options, attempt: 1 });
    expect(input).toMatchObject({
      queryId: 'q1',
      attempt: 1,
      messages: [userMessage('hi')],
      stdin: 'afterMessages',
      maxLineBytes: 4096,
      killGraceMs: options.timeouts.killGraceMs,
      logBindings: { queryId: 'q1', attempt: 1 },
    });
  });

  it('keeps stdin open until the result when permissions are asked over stdio', () => {
    const options = parseQueryOptions({ executable, permissionPromptTool: 'stdio' });
    const input = queryProcessInput({ queryId: 'q1', prompt: 'hi', options, attempt: 1 });
    expect(input.stdin).toBe('untilResult');
  });

  it('keeps a query whose permission prompt tool is an MCP tool poolable, stdin closed after the prompt', () => {
    const options = parseQueryOptions({ executable, permissionPromptTool: 'mcp__perm__ask' });
    const input = queryProcessInput({ queryId: 'q1', prompt: 'hi', options, attempt: 1 });
    expect(input.stdin).toBe('afterMessages');
    expect(input.spawnOptions({}).exclusive).toBeUndefined();
    const stdio = parseQueryOptions({ executable, permissionPromptTool: 'stdio' });
    const asked = queryProcessInput({ queryId: 'q1', prompt: 'hi', options: stdio, attempt: 1 });
    expect(asked.spawnOptions({}).exclusive).toBe(true);
  });

  it('sends initialize before the prompt, with every field only initialize carries', () => {
    const options = parseQueryOptions({
      executable,
      toolAliases: { Bash: 'mcp__box__bash' },
      agentProgressSummaries: true,
      skills: ['pdf'],
      perTaskStopAffordance: true,
      supportedDialogKinds: ['refusal_fallback_prompt'],
      onUserDialog: () => null,
    });
    const input = queryProcessInput({ queryId: 'q1', prompt: 'hi', options, attempt: 1 });
    expect(input.stdin).toBe('untilResult');
    expect(input.messages).toEqual([
      {
        type: 'control_request',
        request_id: 'init_0',
        request: {
          subtype: 'initialize',
          agentProgressSummaries: true,
          toolAliases: { Bash: 'mcp__box__bash' },
          skills: ['pdf'],
          supportedDialogKinds: ['refusal_fallback_prompt'],
          perTaskStopAffordance: true,
        },
      },
      userMessage('hi'),
    ]);
  });

  it('marks the prompt client_composed with verbatimPrompts, and only then', () => {
    const verbatim = parseQueryOptions({ executable, verbatimPrompts: true });
    const input = queryProcessInput({
      queryId: 'q1',
      prompt: '@x /y',
      options: verbatim,
      attempt: 1,
    });
    expect(input.messages).toEqual([{ ...userMessage('@x /y'), client_composed: true }]);
    expect(input.stdin).toBe('afterMessages');
    const plain = queryProcessInput({
      queryId: 'q1',
      prompt: '@x',
      options: parseQueryOptions({ executable }),
      attempt: 1,
    });
    expect(plain.messages[0]).not.toHaveProperty('client_composed');
  });

  it('builds the spawn options from the host environment it is given', () => {
    const options = parseQueryOptions({ executable, cwd: '/tmp' });
    const input = queryProcessInput({ queryId: 'q1', prompt: 'hi', options, attempt: 1 });
    const spawn = input.spawnOptions({ PATH: '/usr/bin', HOME: '/home/x' });
    expect(spawn).toMatchObject({ executable, cwd: '/tmp', env: { HOME: '/home/x' } });
    expect(spawn.args).toContain('stream-json');
  });

  it('passes --session-id on the first attempt only (the CLI refuses an existing one)', () => {
    const options = parseQueryOptions({ executable, sessionId });
    const first = queryProcessInput({ queryId: 'q1', prompt: 'hi', options, attempt: 1 });
    const second = queryProcessInput({ queryId: 'q1', prompt: 'hi', options, attempt: 2 });
    expect(first.spawnOptions({}).args).toContain(sessionId);
    expect(second.spawnOptions({}).args).not.toContain(sessionId);
    expect(second.spawnOptions({}).args).not.toContain('--session-id');
  });

  it('resolves the executable only when the actor builds its spawn options', () => {
    const options = parseQueryOptions({ executable: '/nowhere/claude' });
    const input = queryProcessInput({ queryId: 'q1', prompt: 'hi', options, attempt: 1 });
    expect(() => input.spawnOptions({})).toThrow(/nowhere/);
  });
});
