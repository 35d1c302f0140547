import { describe, expect, it } from 'vitest';
import { parseQueryOptions } from '../../../../src/machines/query/options/parse-options.js';
import type { QueryOptions } from '../../../../src/machines/query/options/query-options.js';
import { BASE_CLI_ARGS, toCliArgs } from '../../../../src/machines/query/options/to-cli-args.js';

const args = (input: QueryOptions): string[] => toCliArgs(parseQueryOptions(input));

/** The argv after the fixed base flags. */
const extra = (input: QueryOptions): string[] => args(input).slice(BASE_CLI_ARGS.length);

describe('toCliArgs', () => {
  it('always starts with print mode, stream-json both ways and --verbose', () => {
    expect(args({})).toEqual([
      '-p',
      '--input-format',
      'stream-json',
      '--output-format',
      'stream-json',
      '--verbose',
    ]);
  });

  it.each<[string, QueryOptions, string[]]>([
    ['model', { model: 'sonnet' }, ['--model', 'sonnet']],
    ['one fallback model', { fallbackModel: 'opus' }, ['--fallback-model', 'opus']],
    ['fallback models', { fallbackModel: ['opus', 'haiku'] }, ['--fallback-model', 'opus,haiku']],
    ['systemPrompt', { systemPrompt: 'You are terse.' }, ['--system-prompt', 'You are terse.']],
    ['an empty systemPrompt', { systemPrompt: '' }, ['--system-prompt', '']],
    ['appendSystemPrompt', { appendSystemPrompt: 'Bye.' }, ['--append-system-prompt', 'Bye.']],
    [
      'allowedTools',
      { allowedTools: ['Read', 'Bash(git *)'] },
      ['--allowedTools', 'Read', 'Bash(git *)'],
    ],
    ['disallowedTools', { disallowedTools: ['WebFetch'] }, ['--disallowedTools', 'WebFetch']],
    ['an empty allowedTools', { allowedTools: [] }, []],
    ['tools', { tools: ['Read', 'Edit'] }, ['--tools', 'Read', 'Edit']],
    ['no tools at all', { tools: [] }, ['--tools', '']],
    ['permissionMode', { permissionMode: 'plan' }, ['--permission-mode', 'plan']],
    [
      'permissionPromptTool',
      { permissionPromptTool: 'stdio' },
      ['--permission-prompt-tool', 'stdio'],
    ],
    ['maxTurns', { maxTurns: 4 }, ['--max-turns', '4']],
    [
      'the tools preset',
      { tools: { type: 'preset', preset: 'claude_code' } },
      ['--tools', 'default'],
    ],
    ['permissionPrompts', { permissionPrompts: 'none' }, ['--permission-prompts', 'none']],
    [
      'allowDangerouslySkipPermissions',
      { allowDangerouslySkipPermissions: true },
      ['--allow-dangerously-skip-permissions'],
    ],
    ['agent', { agent: 'reviewer' }, ['--agent', 'reviewer']],
    ['includeHookEvents', { includeHookEvents: true }, ['--include-hook-events']],
    [
      'plugins',
      {
        plugins: [
          { type: 'local', path: './p1' },
          { type: 'local', path: '/p2.zip' },
        ],
      },
      ['--plugin-dir', './p1', '--plugin-dir', '/p2.zip'],
    ],
    ['adaptive thinking', { thinking: { type: 'adaptive' } }, ['--thinking=adaptive']],
    [
      'thinking with a budget and display',
      { thinking: { type: 'enabled', budgetTokens: 4000, display: 'omitted' } },
      ['--max-thinking-tokens', '4000', '--thinking-display', 'omitted'],
    ],
    [
      'thinking enabled without a budget',
      { thinking: { type: 'enabled' } },
      ['--thinking=adaptive'],
    ],
    ['no thinking', { thinking: { type: 'disabled' } }, ['--thinking=disabled']],
    ['maxThinkingTokens', { maxThinkingTokens: 2048 }, ['--max-thinking-tokens', '2048']],
    ['taskBudget', { taskBudget: { total: 50000 } }, ['--task-budget', '50000']],
    ['debugFile', { debugFile: '/tmp/cli.log' }, ['--debug-file', '/tmp/cli.log']],
    [
      'sandbox merged into settings',
      { settings: { model: 'x' }, sandbox: { enabled: true } },
      ['--settings', '{"model":"x","sandbox":{"enabled":true}}'],
    ],
    [
      'sandbox alone',
      { sandbox: { enabled: true } },
      ['--settings', '{"sandbox":{"enabled":true}}'],
    ],
    [
      'resumeSessionAt',
      { resume: 'abc', resumeSessionAt: 'msg-uuid' },
      ['--resume', 'abc', '--resume-session-at', 'msg-uuid'],
    ],
    ['maxBudgetUsd', { maxBudgetUsd: 0.25 }, ['--max-budget-usd', '0.25']],
    [
      'jsonSchema',
      { jsonSchema: { type: 'object', required: ['a'] } },
      ['--json-schema', '{"type":"object","required":["a"]}'],
    ],
    [
      'agents',
      { agents: { rev: { description: 'Reviews', prompt: 'Review it.' } } },
      ['--agents', '{"rev":{"description":"Reviews","prompt":"Review it."}}'],
    ],
    ['an mcpConfig path', { mcpConfig: './mcp.json' }, ['--mcp-config', './mcp.json']],
    [
      'mcpConfig paths and objects',
      { mcpConfig: ['a.json', { mcpServers: {} }] },
      ['--mcp-config', 'a.json', '{"mcpServers":{}}'],
    ],
    ['strictMcpConfig', { strictMcpConfig: true }, ['--strict-mcp-config']],
    ['a settings path', { settings: './s.json' }, ['--settings', './s.json']],
    ['a settings object', { settings: { model: 'x' } }, ['--settings', '{"model":"x"}']],
    ['settingSources', { settingSources: ['user', 'local'] }, ['--setting-sources', 'user,local']],
    ['no setting sources', { settingSources: [] }, ['--setting-sources', '']],
    ['addDirs', { addDirs: ['/a', '/b c'] }, ['--add-dir', '/a', '/b c']],
    [
      'sessionId',
      { sessionId: '382f5d5e-8aa4-4093-9ef7-b04261f27cac' },
      ['--session-id', '382f5d5e-8aa4-4093-9ef7-b04261f27cac'],
    ],
    ['resume', { resume: 'abc' }, ['--resume', 'abc']],
    ['continue', { continue: true }, ['--continue']],
    ['forkSession', { resume: 'abc', forkSession: true }, ['--resume', 'abc', '--fork-session']],
    ['noSessionPersistence', { noSessionPersistence: true }, ['--no-session-persistence']],
    ['includePartialMessages', { includePartialMessages: true }, ['--include-partial-messages']],
    ['effort', { effort: 'high' }, ['--effort', 'high']],
    ['betas', { betas: ['b1', 'b2'] }, ['--betas', 'b1', 'b2']],
    ['extraArgs, last', { extraArgs: ['--bare'], model: 'm' }, ['--model', 'm', '--bare']],
    ['false booleans as nothing', { continue: false, strictMcpConfig: false }, []],
  ])('maps %s', (_name, input, expected) => {
    expect(extra(input)).toEqual(expected);
  });

  it.each<[string, QueryOptions]>([
    ['env', { env: { FOO: 'bar' } }],
    ['apiKey', { apiKey: 'sk-ant-secret' }],
    ['baseUrl', { baseUrl: 'http://127.0.0.1:1' }],
    ['cliMaxRetries', { cliMaxRetries: 1 }],
    ['timeouts', { timeouts: { idleMs: 5 } }],
    ['retry', { retry: { maxAttempts: 5 } }],
    ['cwd', { cwd: '/tmp' }],
    ['executable', { executable: '/bin/claude' }],
    ['inheritEnv', { inheritEnv: true }],
    ['maxLineBytes', { maxLineBytes: 10 }],
    ['stderrTailBytes', { stderrTailBytes: 10 }],
  ])('does not map %s, which is not a CLI flag', (_name, input) => {
    expect(extra(input)).toEqual([]);
  });

  it('never puts the API key in argv', () => {
    expect(args({ apiKey: 'sk-ant-secret', model: 'm' }).join(' ')).not.toContain('sk-ant');
  });

  it('never renders undefined or null into argv, whatever is set', () => {
    const all = args({
      model: 'm',
      fallbackModel: ['f'],
      systemPrompt: 's',
      allowedTools: ['A'],
      tools: [],
      permissionMode: 'default',
      maxTurns: 1,
      jsonSchema: { type: 'object' },
      agents: { a: { description: 'd', prompt: 'p' } },
      mcpConfig: { mcpServers: {} },
      settings: {},
      settingSources: [],
      addDirs: ['/x'],
      continue: true,
      forkSession: true,
      effort: 'low',
      betas: ['b'],
      env: { X: undefined },
    });
    for (const arg of all) {
      expect(typeof arg).toBe('string');
      expect(arg).not.toMatch(/^(undefined|null|NaN|\[object Object\])$/);
    }
    const none = args({});
    expect(none.join(' ')).not.toMatch(/undefined|null/);
  });

  it('never puts a prompt in argv: there is no positional argument', () => {
    const all = args({ model: 'm', maxTurns: 2, continue: true });
    // Every argv element is a flag or the value right after a flag that takes one.
    const flagsWithValue = new Set(['--input-format', '--output-format', '--model', '--max-turns']);
    for (let i = 0; i < all.length; i++) {
      const arg = all[i]!;
      if (arg.startsWith('-')) continue;
      expect(flagsWithValue.has(all[i - 1]!), `stray positional ${arg}`).toBe(true);
    }
  });

  it('is pure: the same options give the same argv and are not changed', () => {
    const options = parseQueryOptions({ fallbackModel: ['a', 'b'], mcpConfig: [{ x: 1 }] });
    const before = structuredClone(options);
    expect(toCliArgs(options)).toEqual(toCliArgs(options));
    expect(options).toEqual(before);
  });
});
