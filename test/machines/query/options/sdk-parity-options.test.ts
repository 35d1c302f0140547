import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../../../src/core/validation/invalid-options-error.js';
import { initializeRequest } from '../../../../src/machines/control/initialize-request.js';
import { claudeProcessEnv } from '../../../../src/machines/query/options/claude-process-env.js';
import { parseQueryOptions } from '../../../../src/machines/query/options/parse-options.js';
import type { QueryOptions } from '../../../../src/machines/query/options/query-options.js';
import { BASE_CLI_ARGS, toCliArgs } from '../../../../src/machines/query/options/to-cli-args.js';

/** The argv after the fixed base flags. */
const argv = (input: QueryOptions): string[] =>
  toCliArgs(parseQueryOptions(input)).slice(BASE_CLI_ARGS.length);
const initialize = (input: QueryOptions) => initializeRequest(parseQueryOptions(input));

function refusal(input: unknown): InvalidOptionsError {
  try {
    parseQueryOptions(input);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('Agent SDK options that are CLI flags', () => {
  it.each<[string, QueryOptions, string[]]>([
    ['promptSuggestions', { promptSuggestions: true }, ['--prompt-suggestions=true']],
    ['promptSuggestions off', { promptSuggestions: false }, ['--prompt-suggestions=false']],
    ['forwardSubagentText', { forwardSubagentText: true }, ['--forward-subagent-text']],
    ['forwardSubagentText off', { forwardSubagentText: false }, []],
    [
      'planModeInstructions',
      { planModeInstructions: 'Plan, then stop.' },
      ['--plan-mode-instructions', 'Plan, then stop.'],
    ],
    [
      'projectConfigRoot',
      { projectConfigRoot: '/repo/main' },
      ['--project-config-root', '/repo/main'],
    ],
    [
      'resumeDropsTurn',
      { resume: 's1', resumeSessionAt: 'u1', resumeDropsTurn: 'u2' },
      ['--resume', 's1', '--resume-session-at', 'u1', '--resume-drops-turn', 'u2'],
    ],
    ['skills: all', { skills: 'all' }, ['--allowedTools', 'Skill']],
    [
      'skills by name, beside allowedTools, once',
      { allowedTools: ['Read', 'Skill(pdf)'], skills: ['pdf', 'docx'] },
      ['--allowedTools', 'Read', 'Skill(pdf)', 'Skill(docx)'],
    ],
    [
      'managedSettings: read from initialize, never argv',
      { managedSettings: { env: { TOKEN: 'x' } } },
      ['--await-initialize', '--managed-settings-in-initialize'],
    ],
    [
      'plugins delivered by initialize',
      { plugins: [{ type: 'local', path: '/p/a' }], pluginDelivery: 'initialize' },
      ['--await-initialize'],
    ],
    [
      'plugins delivered by argv',
      { plugins: [{ type: 'local', path: '/p/a' }], pluginDelivery: 'argv' },
      ['--plugin-dir', '/p/a'],
    ],
  ])('maps %s', (_name, input, expected) => {
    expect(argv(input)).toEqual(expected);
  });

  it('keeps managed settings (and what secrets they hold) off argv', () => {
    const args = argv({ managedSettings: { env: { GITHUB_TOKEN: 'ghp_secretvalue' } } });
    expect(args.join(' ')).not.toContain('ghp_secretvalue');
    expect(args).not.toContain('--managed-settings');
  });

  it('maps toolConfig to the variable the CLI reads, which the caller can still override', () => {
    const env = (input: QueryOptions) => claudeProcessEnv(parseQueryOptions(input));
    expect(env({ toolConfig: { askUserQuestion: { previewFormat: 'html' } } })).toEqual({
      CLAUDE_CODE_QUESTION_PREVIEW_FORMAT: 'html',
    });
    expect(
      env({
        toolConfig: { askUserQuestion: { previewFormat: 'html' } },
        env: { CLAUDE_CODE_QUESTION_PREVIEW_FORMAT: 'markdown' },
      }).CLAUDE_CODE_QUESTION_PREVIEW_FORMAT,
    ).toBe('markdown');
    expect(env({})).toEqual({});
  });
});

describe('Agent SDK options that are initialize fields', () => {
  it('puts each in the initialize request, and nothing unset', () => {
    const onUserDialog = () => null;
    expect(
      initialize({
        agentProgressSummaries: true,
        toolAliases: { Bash: 'mcp__box__bash' },
        skills: ['pdf'],
        supportedDialogKinds: ['refusal_fallback_prompt'],
        onUserDialog,
        perTaskStopAffordance: false,
        managedSettings: { sandbox: { enabled: true } },
        plugins: [{ type: 'local', path: '/p/a' }],
        pluginDelivery: 'initialize',
      }),
    ).toEqual({
      subtype: 'initialize',
      agentProgressSummaries: true,
      toolAliases: { Bash: 'mcp__box__bash' },
      skills: ['pdf'],
      supportedDialogKinds: ['refusal_fallback_prompt'],
      perTaskStopAffordance: false,
      managedSettings: { sandbox: { enabled: true } },
      plugins: [{ type: 'local', path: '/p/a' }],
    });
    expect(initialize({})).toEqual({ subtype: 'initialize' });
    // `'all'` is an allowedTools rule only; plugins on argv are not sent twice.
    expect(initialize({ skills: 'all', plugins: [{ type: 'local', path: '/p' }] })).toEqual({
      subtype: 'initialize',
    });
  });
});

describe('validation of the Agent SDK parity options', () => {
  it.each<[string, unknown, string, RegExp]>([
    [
      'a relative projectConfigRoot',
      { projectConfigRoot: 'repo' },
      'projectConfigRoot',
      /absolute path/,
    ],
    ['resumeDropsTurn alone', { resumeDropsTurn: 'u2' }, 'resumeDropsTurn', /`resumeSessionAt`/],
    [
      'dialog kinds without onUserDialog',
      { supportedDialogKinds: ['refusal_fallback_prompt'] },
      'supportedDialogKinds',
      /`onUserDialog`/,
    ],
    ['a skill named *', { skills: ['*'] }, 'skills[0]', /skills: 'all'/],
    ['a skill with a comma', { skills: ['a,b'] }, 'skills[0]', /commas/],
    ['a slash command as skill', { skills: ['/pdf'] }, 'skills[0]', /not a slash command/],
    ['skills: some', { skills: 'some' }, 'skills', /`'all'` or an array/],
    [
      'an unknown preview format',
      { toolConfig: { askUserQuestion: { previewFormat: 'pdf' } } },
      'toolConfig.askUserQuestion.previewFormat',
      /markdown/,
    ],
    ['a pluginDelivery of its own', { pluginDelivery: 'zip' }, 'pluginDelivery', /argv/],
    [
      'a non-object managedSettings',
      { managedSettings: 'strict' },
      'managedSettings',
      /object|record/,
    ],
    ['an onUserDialog that is not a function', { onUserDialog: 1 }, 'onUserDialog', /function/],
    ['a toolAliases target that is empty', { toolAliases: { Bash: '' } }, 'toolAliases.Bash', /.+/],
  ])('refuses %s, naming the option and the value', (_name, input, path, message) => {
    const error = refusal(input);
    expect(error.issues[0]?.path).toBe(path);
    expect(error.issues[0]?.message).toMatch(message);
    expect(error.message).toContain(`\`${path}\``);
  });

  it('refuses two in-process MCP servers with one name, naming the second', () => {
    const server = { type: 'sdk', name: 'calc', handle: async () => undefined } as const;
    const error = refusal({ sdkMcpServers: [server, { ...server }] });
    expect(error.issues[0]?.path).toBe('sdkMcpServers[1].name');
    expect(error.message).toContain('"calc"');
  });
});
