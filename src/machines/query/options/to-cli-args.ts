import { z } from 'zod';
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
 * `executable`, `inheritEnv`, `maxLineBytes`, `stderrTailBytes`, `stderr`) are left to the
 * process layer.
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
  values('--allowedTools', options.allowedTools);
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
  for (const plugin of options.plugins ?? []) args.push('--plugin-dir', plugin.path);
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
  value('--max-turns', options.maxTurns);
  value('--max-budget-usd', options.maxBudgetUsd);
  json(
    '--json-schema',
    options.jsonSchema ?? (options.outputSchema ? jsonSchemaOf(options.outputSchema) : undefined),
  );
  json('--agents', options.agents);
  if (options.mcpConfig !== undefined) {
    const configs = [options.mcpConfig].flat();
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
  flag('--continue', options.continue);
  flag('--fork-session', options.forkSession);
  flag('--no-session-persistence', options.noSessionPersistence);
  flag('--include-partial-messages', options.includePartialMessages);
  value('--effort', options.effort);
  values('--betas', options.betas);
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
