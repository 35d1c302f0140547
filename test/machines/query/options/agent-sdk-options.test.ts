import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidOptionsError } from '../../../../src/core/validation/invalid-options-error.js';
import { createQueryActor } from '../../../../src/machines/query/create-query-actor.js';
import { parseQueryOptions } from '../../../../src/machines/query/options/parse-options.js';
import type { QueryOptions } from '../../../../src/machines/query/options/query-options.js';
import { toCliArgs } from '../../../../src/machines/query/options/to-cli-args.js';
import { runQuery } from '../../../../src/machines/query/run-query.js';
import { parseSessionOptions } from '../../../../src/machines/session/session-options.js';
import { createSdkMcpServer } from '../../../../src/mcp/create-sdk-mcp-server.js';
import { createRuntime } from '../../../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../../../helpers/scripted-spawn.js';

/** The argv the options produce, without the flags every query has. */
const argsOf = (options: unknown): string[] => toCliArgs(parseQueryOptions(options)).slice(6);

function refusal(options: unknown): InvalidOptionsError {
  try {
    parseQueryOptions(options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(options)} to be refused`);
}

describe('Agent SDK option names', () => {
  it('takes pathToClaudeCodeExecutable as `executable`', () => {
    expect(parseQueryOptions({ pathToClaudeCodeExecutable: '/opt/claude' }).executable).toBe(
      '/opt/claude',
    );
  });

  it.each<[string, QueryOptions, string[]]>([
    ['additionalDirectories', { additionalDirectories: ['/a', '/b'] }, ['--add-dir', '/a', '/b']],
    [
      'permissionPromptToolName',
      { permissionPromptToolName: 'mcp__perm__ask' },
      ['--permission-prompt-tool', 'mcp__perm__ask'],
    ],
    ['persistSession: false', { persistSession: false }, ['--no-session-persistence']],
    ['persistSession: true', { persistSession: true }, []],
    [
      'outputFormat',
      { outputFormat: { type: 'json_schema', schema: { type: 'object' } } },
      ['--json-schema', '{"type":"object"}'],
    ],
    [
      'mcpServers',
      { mcpServers: { files: { command: 'node', args: ['srv.js'] } } },
      ['--mcp-config', '{"mcpServers":{"files":{"command":"node","args":["srv.js"]}}}'],
    ],
    [
      'mcpServers beside mcpConfig',
      { mcpConfig: 'mcp.json', mcpServers: { web: { type: 'http', url: 'http://x' } } },
      ['--mcp-config', 'mcp.json', '{"mcpServers":{"web":{"type":"http","url":"http://x"}}}'],
    ],
  ])('maps %s to the same CLI flags as ours', (_name, options, args) => {
    expect(argsOf(options)).toEqual(args);
  });

  it.each<[string, QueryOptions, string[]]>([
    [
      'the claude_code preset with an append',
      { systemPrompt: { type: 'preset', preset: 'claude_code', append: 'Be brief.' } },
      ['--append-system-prompt', 'Be brief.'],
    ],
    [
      'the bare claude_code preset',
      { systemPrompt: { type: 'preset', preset: 'claude_code' } },
      [],
    ],
    [
      'a custom prompt',
      { systemPrompt: { type: 'custom', prompt: 'You are a bot.' } },
      ['--system-prompt', 'You are a bot.'],
    ],
    ['a plain string', { systemPrompt: 'You are a bot.' }, ['--system-prompt', 'You are a bot.']],
  ])('maps systemPrompt as %s', (_name, options, args) => {
    expect(argsOf(options)).toEqual(args);
  });

  it.each([
    [{ type: 'preset', preset: 'claude_code', append: 'x', snapshot: true }],
    [{ type: 'custom', prompt: ['a', 'b'] }],
    [{ type: 'other' }],
  ])('refuses the systemPrompt form %j, which has no equivalent', (systemPrompt) => {
    expect(refusal({ systemPrompt }).message).toMatch(
      /^Invalid option `systemPrompt`: expected a string, `\{ type: 'preset'/,
    );
  });

  it('refuses a preset append beside a different appendSystemPrompt', () => {
    const error = refusal({
      systemPrompt: { type: 'preset', preset: 'claude_code', append: 'a' },
      appendSystemPrompt: 'b',
    });
    expect(error.message).toContain('`appendSystemPrompt`, which is also given');
  });

  it('produces exactly the argv of our own names', () => {
    const sdk = argsOf({
      additionalDirectories: ['/a'],
      permissionPromptToolName: 'stdio',
      persistSession: false,
      outputFormat: { type: 'json_schema', schema: { type: 'string' } },
    });
    const ours = argsOf({
      addDirs: ['/a'],
      permissionPromptTool: 'stdio',
      noSessionPersistence: true,
      jsonSchema: { type: 'string' },
    });
    expect(sdk).toEqual(ours);
  });

  it.each([
    [
      { pathToClaudeCodeExecutable: '/a', executable: '/b' },
      'pathToClaudeCodeExecutable',
      '`executable`, which is also given',
    ],
    [
      { persistSession: false, noSessionPersistence: false },
      'persistSession',
      'contradicts `noSessionPersistence`',
    ],
    [{ persistSession: 'no' }, 'persistSession', 'expected a boolean, got `"no"` (string)'],
    [
      { outputFormat: { type: 'json' } },
      'outputFormat',
      "expected `{ type: 'json_schema', schema: { ... } }`",
    ],
    [
      { outputFormat: { schema: {} }, jsonSchema: { type: 'x' } },
      'outputFormat',
      "expected `{ type: 'json_schema'",
    ],
    [{ mcpServers: ['x'] }, 'mcpServers', 'expected MCP server configs by name'],
    [
      { mcpServers: { mine: { type: 'sdk', name: 'mine', instance: {} } } },
      'mcpServers.mine',
      "made by this library's `createSdkMcpServer`",
    ],
  ])('refuses %j, naming the SDK option', (options, path, message) => {
    const error = refusal(options);
    expect(error.issues[0]?.path).toBe(path);
    expect(error.message).toContain(`Invalid option \`${path}\`: `);
    expect(error.message).toContain(message);
  });

  it('names an invalid value by the SDK name it was given under', () => {
    expect(refusal({ pathToClaudeCodeExecutable: '' }).message).toMatch(
      /^Invalid option `pathToClaudeCodeExecutable`: expected a non-empty string, got `""`/,
    );
    expect(refusal({ additionalDirectories: ['/a', 3] }).issues[0]?.path).toBe(
      'additionalDirectories[1]',
    );
  });

  it("refuses the SDK's `executable` (a JavaScript runtime) instead of running it as the CLI", () => {
    expect(refusal({ executable: 'node' }).message).toContain(
      'expected the path of the `claude` CLI (the Agent SDK calls it `pathToClaudeCodeExecutable`)',
    );
  });

  it.each([
    ['loadTimeoutMs', 5_000, "the SDK's `sessionStore`"],
    ['debug', true, 'Agent SDK option `debug`: use `debugFile`'],
    ['spawnClaudeCodeProcess', () => {}, 'use the `spawn` option of `runQuery`'],
    ['executableArgs', [], 'no equivalent here'],
    [
      'abortController',
      new AbortController(),
      'use the `signal` option of `runQuery` / `runtime.query` here',
    ],
  ])('points the SDK option %s to ours', (key, value, message) => {
    const error = refusal({ [key]: value });
    expect(error.issues[0]?.path).toBe(key);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('unknown key');
  });

  it('takes canUseTool and hooks in query options, as the SDK does', () => {
    const canUseTool = () => ({ behavior: 'allow' as const });
    const hook = () => ({});
    const options = parseQueryOptions({ canUseTool, hooks: { Stop: [{ hooks: [hook] }] } });
    expect(options.canUseTool).toBe(canUseTool);
    expect(options.hooks?.Stop?.[0]?.hooks).toEqual([hook]);
    expect(options.permissionPromptTool).toBe('stdio');
  });

  it('takes in-process servers of createSdkMcpServer under mcpServers, beside the others', () => {
    const calc = createSdkMcpServer({ name: 'calc', tools: [] });
    const options = parseQueryOptions({ mcpServers: { calc, web: { type: 'http', url: 'x' } } });
    expect(options.sdkMcpServers).toEqual([calc]);
    expect(options.mcpConfig).toEqual({ mcpServers: { web: { type: 'http', url: 'x' } } });
    expect(refusal({ mcpServers: { other: calc } }).issues[0]?.path).toBe('mcpServers.other');
  });

  it('takes the SDK names in session options too', () => {
    expect(parseSessionOptions({ additionalDirectories: ['/x'] }).addDirs).toEqual(['/x']);
  });
});

describe('the Agent SDK abortController option', () => {
  const executable = process.execPath;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('cancels a runQuery when aborted, killing its process', async () => {
    const { spawn, state } = scriptedSpawn(() => ({ hang: true }));
    const abortController = new AbortController();
    const { result } = runQuery('wait', { executable, abortController }, { spawn });
    await vi.advanceTimersByTimeAsync(10);
    expect(state.live).toBe(1);
    abortController.abort('no longer needed');
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ status: 'cancelled' });
    expect((await result).error?.message).toContain('no longer needed');
    expect(state.live).toBe(0);
  });

  it('cancels a runtime.query when aborted, beside its own signal', async () => {
    const { spawn, state } = scriptedSpawn(() => ({ hang: true }));
    const runtime = createRuntime({ defaults: { executable }, processes: { spawn } });
    const abortController = new AbortController();
    const own = new AbortController();
    const { result } = runtime.query('wait', { abortController }, { signal: own.signal });
    await vi.advanceTimersByTimeAsync(10);
    expect(state.live).toBe(1);
    abortController.abort('sdk says stop');
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ status: 'cancelled' });
    expect(state.live).toBe(0);
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
  });

  it('does not start a query whose controller is already aborted', async () => {
    const { spawn, state } = scriptedSpawn(() => ({ hang: true }));
    const abortController = new AbortController();
    abortController.abort();
    const { result } = runQuery('never', { executable, abortController }, { spawn });
    await vi.runAllTimersAsync();
    expect((await result).status).toBe('cancelled');
    expect(state.calls).toHaveLength(0);
  });

  describe('with a long-lived signal shared by many queries', () => {
    const listeners = (...signals: AbortSignal[]): number[] =>
      signals.map((signal) => getEventListeners(signal, 'abort').length);

    it('leaves no listener on either signal once runQuery queries settle', async () => {
      const { spawn, state } = scriptedSpawn(() => ({ delayMs: 5 }));
      const own = new AbortController();
      const sdk = new AbortController();
      const results = Array.from(
        { length: 20 },
        (_, i) =>
          runQuery(`q${i}`, { executable, abortController: sdk }, { spawn, signal: own.signal })
            .result,
      );
      // While they run, each query listens on both.
      expect(listeners(own.signal, sdk.signal)).toEqual([20, 20]);
      await vi.runAllTimersAsync();
      expect((await Promise.all(results)).map((r) => r.status)).toEqual(
        Array(20).fill('succeeded'),
      );
      expect(state.calls).toHaveLength(20);
      expect(listeners(own.signal, sdk.signal)).toEqual([0, 0]);
    });

    it('leaves no listener on either signal once runtime.query queries settle', async () => {
      const { spawn } = scriptedSpawn(() => ({ delayMs: 5 }));
      const runtime = createRuntime({ defaults: { executable }, processes: { spawn } });
      const own = new AbortController();
      const sdk = new AbortController();
      const results = Array.from(
        { length: 20 },
        (_, i) => runtime.query(`q${i}`, { abortController: sdk }, { signal: own.signal }).result,
      );
      await vi.runAllTimersAsync();
      expect((await Promise.all(results)).map((r) => r.status)).toEqual(
        Array(20).fill('succeeded'),
      );
      expect(listeners(own.signal, sdk.signal)).toEqual([0, 0]);
      const stopped = runtime.stop({ deadlineMs: 0 });
      await vi.runAllTimersAsync();
      await stopped;
    });

    it('leaves no listener when the query is refused after the signals were joined', async () => {
      const { spawn, state } = scriptedSpawn(() => ({}));
      const runtime = createRuntime({ defaults: { executable }, processes: { spawn } });
      const own = new AbortController();
      const sdk = new AbortController();
      const run = { spawn, signal: own.signal };
      for (let i = 0; i < 20; i++) {
        // An invalid prompt, then an invalid option, through runQuery; an invalid option
        // through runtime.query.
        expect(() => runQuery('', { executable, abortController: sdk }, run)).toThrow(
          InvalidOptionsError,
        );
        expect(() =>
          runQuery('x', { executable, abortController: sdk, maxTurns: -1 }, run),
        ).toThrow(InvalidOptionsError);
        expect(() =>
          runtime.query('x', { abortController: sdk, maxTurns: -1 }, { signal: own.signal }),
        ).toThrow(InvalidOptionsError);
      }
      expect(state.calls).toHaveLength(0);
      expect(listeners(own.signal, sdk.signal)).toEqual([0, 0]);
      const stopped = runtime.stop({ deadlineMs: 0 });
      await vi.runAllTimersAsync();
      await stopped;
    });

    it('still cancels a query through either signal after others settled', async () => {
      const { spawn, state } = scriptedSpawn((prompt) => (prompt === 'wait' ? { hang: true } : {}));
      const own = new AbortController();
      const sdk = new AbortController();
      const first = runQuery(
        'done',
        { executable, abortController: sdk },
        { spawn, signal: own.signal },
      );
      await vi.runAllTimersAsync();
      expect((await first.result).status).toBe('succeeded');
      const { result } = runQuery(
        'wait',
        { executable, abortController: sdk },
        { spawn, signal: own.signal },
      );
      await vi.advanceTimersByTimeAsync(10);
      expect(state.live).toBe(1);
      own.abort('caller gave up');
      await vi.runAllTimersAsync();
      expect((await result).status).toBe('cancelled');
      expect(listeners(sdk.signal)).toEqual([0]);
    });
  });

  it('refuses something that is not an AbortController', () => {
    expect(() => runQuery('x', { executable, abortController: {} as never })).toThrow(
      'Invalid option `abortController`: expected an AbortController, got `{}` (object)',
    );
  });

  it('is refused, with a pointer, where nothing would honour it', () => {
    expect(() =>
      createQueryActor('x', { executable, abortController: new AbortController() }),
    ).toThrow('Agent SDK option `abortController`');
  });
});
