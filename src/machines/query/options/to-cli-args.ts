import { z } from 'zod';
import { awaitsInitialize, pluginsViaInitialize } from '../../control/initialize-options.js';
import type { ResolvedQueryOptions } from './query-options.js';

/**
 * Flags every query runs with: print mode, stream-json both ways (the prompt goes on stdin,
 * never in argv), and `--verbose`, which stream-json output requires.
 */
export const BASE_CLI_ARGS: readonly string[] = [
  '-p',
  '--input-format',
  'stream-json',
  '--output-format',
  'stream-json',
  '--verbose',
];

/**
 * Maps query options to the CLI's argv. Pure: no environment, no file system. Options that are
 * not flags (`env`, `apiKey`, `baseUrl`, `cliMaxRetries`, `timeouts`, `retry`, `cwd`,
 * `executable`, `inheritEnv`, `maxLineBytes`, `stderrTailBytes`, `stderr`, `toolConfig`) are
 * left to the process layer; the callbacks and the options only `initialize` carries to the
 * machines (see `initializeRequest`). In-process MCP servers are named in one more
 * `--mcp-config` entry (`type: 'sdk'`); `skills` add their `Skill` rules to `--allowedTools`.
 *
 * The result is an argv array for `spawn`, never for a shell: values are not quoted. Variadic
 * flags (`--allowedTools`, `--add-dir`, `--mcp-config`...) take one argv element per value;
 * `--fallback-model` and `--setting-sources` take a comma list.
 *
 * @example
 * ```ts
 * toCliArgs(parseQueryOptions({ model: 'sonnet', maxTurns: 2 }));
 * // ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose',
 * //  '--model', 'sonnet', '--max-turns', '2']
 * ```
 */
export function toCliArgs(options: ResolvedQueryOptions): string[] {
  const args = [...BASE_CLI_ARGS];
  const value = (flag: string, v: string | number | undefined): void => {
    if (v !== undefined) args.push(flag, String(v));
  };
  const values = (flag: string, list: readonly string[] | undefined): void => {
    if (list !== undefined && list.length > 0) args.push(flag, ...list);
  };
  const json = (flag: string, v: unknown): void => {
    if (v !== undefined) args.push(flag, typeof v === 'string' ? v : JSON.stringify(v));
  };
  const flag = (name: string, on: boolean | undefined): void => {
    if (on === true) args.push(name);
  };

  value('--model', options.model);
  if (options.fallbackModel !== undefined) {
    const models = [options.fallbackModel].flat();
    args.push('--fallback-model', models.join(','));
  }
  value('--system-prompt', options.systemPrompt);
  value('--append-system-prompt', options.appendSystemPrompt);
  values('--allowedTools', withSkillRules(options.allowedTools, options.skills));
  values('--disallowedTools', options.disallowedTools);
  // `--tools ""` means no built-in tools at all; an empty list must not be dropped.
  if (Array.isArray(options.tools)) {
    args.push('--tools', ...(options.tools.length > 0 ? options.tools : ['']));
  } else if (options.tools !== undefined) {
    args.push('--tools', 'default');
  }
  value('--permission-mode', options.permissionMode);
  value('--permission-prompt-tool', options.permissionPromptTool);
  value('--permission-prompts', options.permissionPrompts);
  flag('--allow-dangerously-skip-permissions', options.allowDangerouslySkipPermissions);
  value('--agent', options.agent);
  flag('--include-hook-events', options.includeHookEvents);
  if (!pluginsViaInitialize(options)) {
    for (const plugin of options.plugins ?? []) args.push('--plugin-dir', plugin.path);
  }
  const { thinking } = options;
  // As the Agent SDK maps it: `enabled` without a budget is the adaptive mode.
  if (thinking?.type === 'enabled' && thinking.budgetTokens !== undefined) {
    value('--max-thinking-tokens', thinking.budgetTokens);
  } else if (thinking !== undefined) {
    args.push(`--thinking=${thinking.type === 'disabled' ? 'disabled' : 'adaptive'}`);
  }
  if (thinking?.type !== 'disabled') value('--thinking-display', thinking?.display);
  value('--max-thinking-tokens', options.maxThinkingTokens);
  value('--task-budget', options.taskBudget?.total);
  value('--debug-file', options.debugFile);
  if (options.promptSuggestions !== undefined) {
    // `=`: the flag's value is optional, so a separate word could be taken for something else.
    args.push(`--prompt-suggestions=${options.promptSuggestions}`);
  }
  flag('--forward-subagent-text', options.forwardSubagentText);
  value('--plan-mode-instructions', options.planModeInstructions);
  value('--project-config-root', options.projectConfigRoot);
  value('--max-turns', options.maxTurns);
  value('--max-budget-usd', options.maxBudgetUsd);
  json(
    '--json-schema',
    options.jsonSchema ?? (options.outputSchema ? jsonSchemaOf(options.outputSchema) : undefined),
  );
  json('--agents', options.agents);
  // The CLI learns of in-process servers from its MCP config (`type: 'sdk'`) and `initialize`
  // (`sdkMcpServers`), then sends them `mcp_message` requests.
  const servers = options.sdkMcpServers ?? [];
  const sdkConfig = servers.length === 0 ? [] : [sdkMcpConfig(servers.map((s) => s.name))];
  if (options.mcpConfig !== undefined || sdkConfig.length > 0) {
    const configs = [
      ...(options.mcpConfig === undefined ? [] : [options.mcpConfig].flat()),
      ...sdkConfig,
    ];
    args.push(
      '--mcp-config',
      ...configs.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))),
    );
  }
  flag('--strict-mcp-config', options.strictMcpConfig);
  json(
    '--settings',
    options.sandbox === undefined
      ? options.settings
      : { ...(options.settings as Record<string, unknown> | undefined), sandbox: options.sandbox },
  );
  // `--setting-sources ""` loads no setting files; an empty list must not be dropped.
  if (options.settingSources !== undefined) {
    args.push('--setting-sources', options.settingSources.join(','));
  }
  values('--add-dir', options.addDirs);
  value('--session-id', options.sessionId);
  value('--resume', options.resume);
  value('--resume-session-at', options.resumeSessionAt);
  value('--resume-drops-turn', options.resumeDropsTurn);
  flag('--continue', options.continue);
  flag('--fork-session', options.forkSession);
  flag('--no-session-persistence', options.noSessionPersistence);
  flag('--include-partial-messages', options.includePartialMessages);
  value('--effort', options.effort);
  values('--betas', options.betas);
  // The CLI then reads `initialize` as its first stdin line, before any start-up work.
  flag('--await-initialize', awaitsInitialize(options));
  flag('--managed-settings-in-initialize', options.managedSettings !== undefined);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/**
 * A zod schema as JSON Schema for `--json-schema`. Without `$schema`: the CLI (2.1.330) rejects
 * the draft 2020-12 meta-schema URI that zod writes ("no schema with key or ref").
 */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
}

/** The MCP config that names in-process servers to the CLI. */
function sdkMcpConfig(names: readonly string[]): Record<string, unknown> {
  return { mcpServers: Object.fromEntries(names.map((name) => [name, { type: 'sdk', name }])) };
}

/** `allowedTools` with the rules `skills` stands for (`Skill`, or `Skill(name)` each), once. */
function withSkillRules(
  allowed: readonly string[] | undefined,
  skills: ResolvedQueryOptions['skills'],
): readonly string[] | undefined {
  if (skills === undefined) return allowed;
  const rules = skills === 'all' ? ['Skill'] : skills.map((name) => `Skill(${name})`);
  const have = new Set(allowed ?? []);
  return [...(allowed ?? []), ...rules.filter((rule) => !have.has(rule))];
}
