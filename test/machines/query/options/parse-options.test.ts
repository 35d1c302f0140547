import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../../../src/core/validation/invalid-options-error.js';
import { parseQueryOptions } from '../../../../src/machines/query/options/parse-options.js';

function failure(input: unknown): InvalidOptionsError {
  try {
    parseQueryOptions(input);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseQueryOptions', () => {
  it('applies every default to empty options', () => {
    const expected = {
      includePartialMessages: false,
      inheritEnv: false,
      timeouts: { idleMs: 180_000, killGraceMs: 2_000 },
      retry: {
        maxAttempts: 3,
        initialDelayMs: 1_000,
        maxDelayMs: 30_000,
        multiplier: 2,
        jitter: 0.2,
      },
      maxLineBytes: 16 * 1024 * 1024,
      stderrTailBytes: 8 * 1024,
    };
    expect(parseQueryOptions({})).toEqual(expected);
    expect(parseQueryOptions(undefined)).toEqual(expected);
  });

  it('fills in the defaults of a partly given nested option', () => {
    const options = parseQueryOptions({ timeouts: { totalMs: 60_000 }, retry: { maxAttempts: 1 } });
    expect(options.timeouts).toEqual({ idleMs: 180_000, killGraceMs: 2_000, totalMs: 60_000 });
    expect(options.retry.maxAttempts).toBe(1);
    expect(options.retry.jitter).toBe(0.2);
  });

  it('leaves cliMaxRetries unset so the CLI keeps its own default', () => {
    expect(parseQueryOptions({}).cliMaxRetries).toBeUndefined();
    expect(parseQueryOptions({ cliMaxRetries: 0 }).cliMaxRetries).toBe(0);
  });

  it('accepts a full set of valid options', () => {
    const input = {
      model: 'sonnet',
      fallbackModel: ['opus', 'haiku'],
      systemPrompt: '',
      appendSystemPrompt: 'Be brief.',
      allowedTools: ['Read', 'Bash(git *)'],
      disallowedTools: ['WebFetch'],
      tools: [],
      permissionMode: 'acceptEdits',
      permissionPromptTool: 'stdio',
      maxTurns: 3,
      maxBudgetUsd: 0.5,
      jsonSchema: { type: 'object' },
      agents: { reviewer: { description: 'Reviews', prompt: 'Review.', tools: ['Read'] } },
      mcpConfig: ['./mcp.json', { mcpServers: {} }],
      strictMcpConfig: true,
      settings: { model: 'x' },
      settingSources: ['project'],
      cwd: '/tmp',
      addDirs: ['/var'],
      sessionId: '382f5d5e-8aa4-4093-9ef7-b04261f27cac',
      resume: 'abc',
      forkSession: true,
      noSessionPersistence: true,
      includePartialMessages: true,
      effort: 'xhigh',
      betas: ['context-1m-2025-08-07'],
      env: { FOO: 'bar', REMOVED: undefined },
      inheritEnv: true,
      executable: '/usr/bin/claude',
      apiKey: 'sk-ant-123',
      baseUrl: 'http://127.0.0.1:4599',
      cliMaxRetries: 2,
      extraArgs: ['--bare'],
      timeouts: { idleMs: 1, totalMs: 2, killGraceMs: 0, startMs: 3 },
      retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, jitter: 0 },
      maxLineBytes: 1024,
      stderrTailBytes: 1,
    } as const;
    expect(parseQueryOptions(input)).toEqual(input);
  });

  it.each([
    [{ maxTurns: -1 }, 'maxTurns', 'expected a positive integer', '`-1` (number)'],
    [{ maxTurns: 1.5 }, 'maxTurns', 'expected a positive integer', '`1.5` (number)'],
    [{ maxTurns: '3' }, 'maxTurns', 'expected a positive integer', '`"3"` (string)'],
    [{ maxBudgetUsd: 0 }, 'maxBudgetUsd', 'expected a positive number', '`0` (number)'],
    [{ model: '' }, 'model', 'expected a non-empty string', '`""` (string)'],
    [{ model: 42 }, 'model', 'expected a string', '`42` (number)'],
    [{ systemPrompt: null }, 'systemPrompt', 'expected a string', '`null` (null)'],
    [{ allowedTools: 'Read' }, 'allowedTools', 'expected an array', '`"Read"` (string)'],
    [{ allowedTools: ['Read', 3] }, 'allowedTools[1]', 'expected a string', '`3` (number)'],
    [{ permissionMode: 'yolo' }, 'permissionMode', 'expected one of "default"', '`"yolo"`'],
    [{ effort: 'extreme' }, 'effort', '"xhigh", "max"', '`"extreme"` (string)'],
    [{ settingSources: ['global'] }, 'settingSources[0]', '"user", "project"', '`"global"`'],
    [{ sessionId: 'not-a-uuid' }, 'sessionId', 'expected a UUID', '`"not-a-uuid"` (string)'],
    [{ baseUrl: 'nope' }, 'baseUrl', 'expected a URL', '`"nope"` (string)'],
    [{ fallbackModel: 3 }, 'fallbackModel', 'a model name or a non-empty array', '`3` (number)'],
    [{ fallbackModel: [] }, 'fallbackModel', 'non-empty array', '`[]` (array)'],
    [
      { mcpConfig: [1] },
      'mcpConfig[0]',
      'expected a file path, a JSON string or an MCP config object',
      '`1` (number)',
    ],
    [{ settings: 5 }, 'settings', 'expected a file path or a settings object', '`5` (number)'],
    [{ jsonSchema: [] }, 'jsonSchema', 'expected an object', '`[]` (array)'],
    [{ agents: { a: { prompt: 'p' } } }, 'agents.a.description', 'is required', 'nothing'],
    [{ cliMaxRetries: -1 }, 'cliMaxRetries', 'expected a non-negative integer', '`-1` (number)'],
    [{ timeouts: { idleMs: 0 } }, 'timeouts.idleMs', 'expected a positive integer', '`0` (number)'],
    [{ timeouts: 5 }, 'timeouts', 'expected an object', '`5` (number)'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts', 'a positive integer', '`0` (number)'],
    [{ retry: { multiplier: 0.5 } }, 'retry.multiplier', 'expected a number >= 1', '`0.5`'],
    [{ retry: { jitter: 1.5 } }, 'retry.jitter', 'expected a number <= 1', '`1.5` (number)'],
    [
      { retry: { initialDelayMs: 5_000, maxDelayMs: 1_000 } },
      'retry.maxDelayMs',
      'at least `initialDelayMs`',
      '`1000` (number)',
    ],
    [{ env: { FOO: 1 } }, 'env.FOO', 'expected a string', '`1` (number)'],
    [{ extraArgs: [null] }, 'extraArgs[0]', 'expected a string', '`null` (null)'],
    [{ includePartialMessages: 'yes' }, 'includePartialMessages', 'a boolean', '`"yes"`'],
    ['sonnet', '(root)', 'expected an object', '`"sonnet"` (string)'],
    // Node fires a longer timer after 1 ms: every callback would time out at once.
    [{ callbackTimeoutMs: 2 ** 31 }, 'callbackTimeoutMs', 'at most 2147483647 ms', '`2147483648`'],
    [{ timeouts: { killGraceMs: 2 ** 31 } }, 'timeouts.killGraceMs', 'at most', '`2147483648`'],
    [{ retry: { maxDelayMs: 2 ** 31 } }, 'retry.maxDelayMs', 'at most', '`2147483648`'],
  ])('rejects %j, naming `%s` and the value', (input, path, message, received) => {
    const error = failure(input);
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain(`\`${path}\``);
    expect(error.message).toContain(message);
    expect(error.message).toContain(`got ${received}`);
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.retryable).toBe(false);
  });

  it.each([
    ['maxTurn', 'maxTurns'],
    ['systemprompt', 'systemPrompt'],
    ['allowed_tools', 'allowedTools'],
  ])('rejects the unknown key `%s` and suggests `%s`', (typo, suggestion) => {
    const error = failure({ [typo]: 5 });
    expect(error.message).toContain(`Invalid option \`${typo}\`: unknown key`);
    expect(error.message).toContain(`did you mean \`${suggestion}\`?`);
    expect(error.message).toContain('got `5` (number)');
  });

  it('rejects an unknown key inside a nested option', () => {
    const error = failure({ retry: { maxAtempts: 2 } });
    expect(error.issues[0]).toMatchObject({
      path: 'retry.maxAtempts',
      message: 'unknown key (did you mean `maxAttempts`?)',
    });
  });

  it('rejects an unknown key with no close match without a suggestion', () => {
    expect(failure({ banana: true }).issues[0]?.message).toBe('unknown key');
  });

  it('reports every problem in one error', () => {
    const error = failure({ maxTurns: 0, model: 1, retry: { jitter: 2 } });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'maxTurns',
      'model',
      'retry.jitter',
    ]);
    expect(error.message).toContain('(and 2 more problem(s))');
  });

  it.each([
    ['model', { model: 'sonnet', fallbackModel: 'sonnet' }],
    ['one of the models', { model: 'sonnet', fallbackModel: ['opus', 'sonnet'] }],
  ])('rejects a fallback model equal to the model (%s)', (_name, input) => {
    const error = failure(input);
    expect(error.issues[0]?.path).toBe('fallbackModel');
    expect(error.message).toContain('differ from `model` (sonnet)');
  });

  it('rejects forkSession without resume or continue', () => {
    const error = failure({ forkSession: true });
    expect(error.issues[0]).toMatchObject({ path: 'forkSession', received: '`true` (boolean)' });
    expect(error.message).toContain('`resume` or `continue`');
    expect(parseQueryOptions({ forkSession: true, continue: true }).forkSession).toBe(true);
    expect(parseQueryOptions({ forkSession: false }).forkSession).toBe(false);
  });
});

describe('parseQueryOptions and secrets', () => {
  const secret = 'sk-ant-very-secret-value';

  it.each([
    ['an invalid apiKey', { apiKey: { value: secret } }, 'apiKey'],
    ['a misspelt apiKey', { apikey: secret }, 'apikey'],
    ['an env variable named like a token', { env: { GITHUB_TOKEN: [secret] } }, 'env.GITHUB_TOKEN'],
    ['an env password', { env: { DB_PASSWORD: 1, X: secret.length } }, 'env.DB_PASSWORD'],
    ['a malformed env', { env: `ANTHROPIC_API_KEY=${secret}` }, 'env'],
  ])('renders %s as [redacted]', (_name, input, path) => {
    const error = failure(input);
    expect(error.issues[0]?.path).toBe(path);
    expect(error.issues[0]?.received).toBe('[redacted]');
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.toJSON())).not.toContain(secret);
    expect(JSON.stringify(error.issues)).not.toContain('secret-value');
  });

  it('redacts secrets nested in a value rendered whole', () => {
    const error = failure({ env: [{ API_KEY: secret }] });
    expect(error.issues[0]?.path).toBe('env');
    expect(error.message).not.toContain(secret);
  });

  it('still names other problems in full next to a valid secret', () => {
    const error = failure({ apiKey: secret, maxTurns: -2 });
    expect(error.message).toContain('got `-2` (number)');
    expect(error.message).not.toContain(secret);
  });
});
