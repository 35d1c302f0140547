import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { MAX_TIMER_MESSAGE, MAX_TIMER_MS } from '../../../core/validation/max-timer-ms.js';
import { nonEmptyString as nonEmpty } from '../../../core/validation/non-empty-string.js';
import { ControlOptionsSchema } from '../../control/control-options.js';
import { InitializeOptionsSchema } from '../../control/initialize-options.js';
import type { AgentSdkOptionNames } from './agent-sdk-options.js';

/** Permission modes accepted by `--permission-mode` (CLI 2.1.330; `manual` means `default`). */
export const PERMISSION_MODES = [
  'default',
  'manual',
  'acceptEdits',
  'plan',
  'auto',
  'dontAsk',
  'bypassPermissions',
] as const;

/** Effort levels accepted by `--effort` (CLI 2.1.330). */
export const EFFORT_LEVELS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

/** Setting sources accepted by `--setting-sources`. */
export const SETTING_SOURCES = ['user', 'project', 'local'] as const;

const integer = (error: string) => z.number({ error }).int({ error });
const positiveInt = integer('expected a positive integer').positive({
  error: 'expected a positive integer',
});
const nonNegativeInt = integer('expected a non-negative integer').nonnegative({
  error: 'expected a non-negative integer',
});
const nonNegativeTimerMs = nonNegativeInt.max(MAX_TIMER_MS, { error: MAX_TIMER_MESSAGE });
const jsonObject = z.record(z.string(), z.unknown());

/** A subagent definition, passed to the CLI as JSON (`--agents`); extra fields pass through. */
export const AgentDefinitionSchema = z.looseObject({
  /** When the main agent should use this one. */
  description: nonEmpty,
  /** Its system prompt. */
  prompt: nonEmpty,
  /** Tools it may use; all when absent. */
  tools: z.array(nonEmpty).optional(),
  /** Model alias or name; the main model when absent. */
  model: nonEmpty.optional(),
});

/** A subagent definition. */
export type AgentDefinition = z.input<typeof AgentDefinitionSchema>;

/** How long a query may take; see each field. */
export const TimeoutOptionsSchema = z.strictObject({
  /**
   * Kill the CLI after this long without output.
   * @defaultValue 180_000
   */
  idleMs: positiveInt.default(180_000),
  /**
   * Give up on the query (all attempts) after this long. No limit when absent.
   * @defaultValue `undefined`
   */
  totalMs: positiveInt.optional(),
  /**
   * Between SIGTERM and SIGKILL when stopping the CLI.
   * @defaultValue 2_000
   */
  killGraceMs: nonNegativeTimerMs.default(2_000),
  /**
   * Longest wait for the first line of output after spawning. No separate limit when absent.
   * @defaultValue `undefined`
   */
  startMs: positiveInt.optional(),
});

/** How failed attempts are retried (exponential backoff with jitter). */
export const RetryOptionsSchema = z
  .strictObject({
    /**
     * Attempts in all, the first included; `1` disables retries.
     * @defaultValue 3
     */
    maxAttempts: positiveInt.default(3),
    /**
     * Delay before the second attempt.
     * @defaultValue 1_000
     */
    initialDelayMs: nonNegativeTimerMs.default(1_000),
    /**
     * Upper bound of any delay.
     * @defaultValue 30_000
     */
    maxDelayMs: nonNegativeTimerMs.default(30_000),
    /**
     * Growth factor per attempt.
     * @defaultValue 2
     */
    multiplier: z.number().min(1).default(2),
    /**
     * Fraction of each delay that is randomised, 0 to 1.
     * @defaultValue 0.2
     */
    jitter: z.number().min(0).max(1).default(0.2),
  })
  .refine((retry) => retry.maxDelayMs >= retry.initialDelayMs, {
    error: 'expected `maxDelayMs` to be at least `initialDelayMs`',
    path: ['maxDelayMs'],
  });

const mcpConfigEntry = z.union([nonEmpty, jsonObject], {
  error: 'expected a file path, a JSON string or an MCP config object',
});

/**
 * Options of one query. Parsed once, at the public boundary, with {@link parseQueryOptions};
 * defaults live here. Unknown keys are errors, so a typo never goes unnoticed.
 */
export const QueryOptionsSchema = z
  .strictObject({
    /** Model alias (`sonnet`, `opus`...) or full name (`--model`). */
    model: nonEmpty.optional(),
    /** Models to fall back to when the main one is busy, in order (`--fallback-model`). */
    fallbackModel: z
      .union([nonEmpty, z.array(nonEmpty).min(1)], {
        error: 'expected a model name or a non-empty array of model names',
      })
      .optional(),
    /** Replaces the default system prompt (`--system-prompt`). */
    systemPrompt: z.string().optional(),
    /** Appended to the default system prompt (`--append-system-prompt`). */
    appendSystemPrompt: z.string().optional(),
    /** Tools allowed without asking, e.g. `Bash(git *)` (`--allowedTools`). */
    allowedTools: z.array(nonEmpty).optional(),
    /** Tools denied (`--disallowedTools`). */
    disallowedTools: z.array(nonEmpty).optional(),
    /**
     * Built-in tools available at all: names, `[]` for none, or the Agent SDK's preset
     * `{ type: 'preset', preset: 'claude_code' }` for the default set (`--tools`).
     */
    tools: z
      .union(
        [
          z.array(nonEmpty),
          z.strictObject({ type: z.literal('preset'), preset: z.literal('claude_code') }),
        ],
        { error: "expected tool names or `{ type: 'preset', preset: 'claude_code' }`" },
      )
      .optional(),
    /** Permission mode (`--permission-mode`). */
    permissionMode: z.enum(PERMISSION_MODES).optional(),
    /** Who answers permission prompts; `stdio` makes them control requests. */
    permissionPromptTool: nonEmpty.optional(),
    /**
     * Who answers permission prompts: `host` (this process: a session's `canUseTool`, or
     * `permissionPromptTool`) or `none` (nobody: what would prompt is denied at once)
     * (`--permission-prompts`).
     */
    permissionPrompts: z.enum(['host', 'none']).optional(),
    /**
     * Allows switching to `bypassPermissions` later (e.g. `session.setPermissionMode`)
     * without starting in it (`--allow-dangerously-skip-permissions`).
     */
    allowDangerouslySkipPermissions: z.boolean().optional(),
    /** The agent of the session, by name (`--agent`). */
    agent: nonEmpty.optional(),
    /** Emit `hook_started` / `hook_progress` / `hook_response` messages (`--include-hook-events`). */
    includeHookEvents: z.boolean().optional(),
    /** Plugins to load, from directories or .zip files (`--plugin-dir`, one per plugin). */
    plugins: z.array(z.strictObject({ type: z.literal('local'), path: nonEmpty })).optional(),
    /**
     * Extended thinking: `adaptive` (the model decides), `enabled` with a token budget, or
     * `disabled` (`--thinking`, `--max-thinking-tokens`, `--thinking-display`).
     */
    thinking: z
      .discriminatedUnion('type', [
        z.strictObject({
          type: z.literal('adaptive'),
          display: z.enum(['summarized', 'omitted']).optional(),
        }),
        z.strictObject({
          type: z.literal('enabled'),
          budgetTokens: positiveInt.optional(),
          display: z.enum(['summarized', 'omitted']).optional(),
        }),
        z.strictObject({ type: z.literal('disabled') }),
      ])
      .optional(),
    /** Thinking budget in tokens, the Agent SDK's older form of `thinking` (`--max-thinking-tokens`). */
    maxThinkingTokens: positiveInt.optional(),
    /** A token budget the model paces itself against (`--task-budget`, a beta). */
    taskBudget: z.strictObject({ total: positiveInt }).optional(),
    /** With `resume`: resume the session as it was at this message uuid (`--resume-session-at`). */
    resumeSessionAt: nonEmpty.optional(),
    /**
     * Sandbox settings of the Bash tool (`sandbox` of the settings): merged into `settings`,
     * which must then be an object, not a file path.
     */
    sandbox: jsonObject.optional(),
    /** Write the CLI's debug log to this file (`--debug-file`). */
    debugFile: nonEmpty.optional(),
    /**
     * A `prompt_suggestion` message after each turn's result, with a predicted next prompt
     * (`--prompt-suggestions`).
     */
    promptSuggestions: z.boolean().optional(),
    /**
     * Forward subagents' text and thinking as assistant/user messages with `parent_tool_use_id`
     * set, not only their tool calls (`--forward-subagent-text`).
     */
    forwardSubagentText: z.boolean().optional(),
    /**
     * The workflow part of the plan-mode system reminder, replacing the default one, when
     * `permissionMode` is `plan` (`--plan-mode-instructions`).
     */
    planModeInstructions: nonEmpty.optional(),
    /**
     * The trusted checkout `cwd` is a worktree of: project settings, `.mcp.json` and `.claude`
     * come from here instead of `cwd`. An absolute path (`--project-config-root`).
     */
    projectConfigRoot: nonEmpty
      .refine((path) => isAbsolute(path), { error: 'expected an absolute path' })
      .optional(),
    /**
     * With `resumeSessionAt`: the prompt uuid of the turn the truncating resume discards; the
     * CLI refuses the resume (an `error_during_execution` result) when more would be dropped
     * (`--resume-drops-turn`).
     */
    resumeDropsTurn: nonEmpty.optional(),
    /**
     * Per-tool settings of built-in tools: `askUserQuestion.previewFormat` (`markdown` or
     * `html`) becomes `CLAUDE_CODE_QUESTION_PREVIEW_FORMAT`.
     */
    toolConfig: z
      .strictObject({
        askUserQuestion: z
          .strictObject({ previewFormat: z.enum(['markdown', 'html']).optional() })
          .optional(),
      })
      .optional(),
    /**
     * Send every prompt with `client_composed: true`: the CLI takes the text as written (no
     * `@path` expansion, no slash commands).
     * @defaultValue false
     */
    verbatimPrompts: z.boolean().optional(),
    ...InitializeOptionsSchema.shape,
    ...ControlOptionsSchema.shape,
    /**
     * Called with each chunk of the CLI's stderr as it comes (secrets redacted); a throwing
     * callback is ignored. The end of stderr is in a failed query's error either way.
     */
    stderr: z
      .custom<(data: string) => void>((v) => typeof v === 'function', {
        error: 'expected a function',
      })
      .optional(),
    /** Maximum agentic turns (`--max-turns`). */
    maxTurns: positiveInt.optional(),
    /** Maximum spend in US dollars (`--max-budget-usd`). */
    maxBudgetUsd: z.number().positive().optional(),
    /** JSON schema the final answer must match: structured output (`--json-schema`). */
    jsonSchema: jsonObject.optional(),
    /**
     * A zod schema for structured output: sent as `--json-schema` (unless `jsonSchema` is
     * given), and the result's output is validated against it; a mismatch fails the query with
     * a `StructuredOutputError` carrying the raw output.
     */
    outputSchema: z
      .custom<z.ZodType>(
        (v) => typeof (v as { safeParse?: unknown } | null)?.safeParse === 'function',
        { error: 'expected a zod schema' },
      )
      .optional(),
    /** Custom subagents by name (`--agents`). */
    agents: z.record(nonEmpty, AgentDefinitionSchema).optional(),
    /** MCP servers: config file paths, JSON strings or objects (`--mcp-config`). */
    mcpConfig: z
      .union([mcpConfigEntry, z.array(mcpConfigEntry)], {
        error: 'expected a file path, a JSON string, an MCP config object, or an array of them',
      })
      .optional(),
    /** Use only the servers of `mcpConfig` (`--strict-mcp-config`). */
    strictMcpConfig: z.boolean().optional(),
    /** Settings file path or settings object (`--settings`). */
    settings: z
      .union([nonEmpty, jsonObject], { error: 'expected a file path or a settings object' })
      .optional(),
    /** Setting files to load; `[]` loads none (`--setting-sources`). */
    settingSources: z.array(z.enum(SETTING_SOURCES)).optional(),
    /** Working directory of the CLI. */
    cwd: nonEmpty.optional(),
    /** More directories Claude may access (`--add-dir`). */
    addDirs: z.array(nonEmpty).optional(),
    /**
     * Session id to use for a new session (`--session-id`). Applies to the first attempt: the
     * CLI refuses an id that already exists, so a retried attempt runs under a fresh id, which
     * `QueryResult.sessionId` reports.
     */
    sessionId: z.uuid().optional(),
    /** Session id or name to resume (`--resume`). */
    resume: nonEmpty.optional(),
    /** Continue the latest session in `cwd` (`--continue`). */
    continue: z.boolean().optional(),
    /** Resume under a new session id; needs `resume` or `continue` (`--fork-session`). */
    forkSession: z.boolean().optional(),
    /** Do not save the session to disk (`--no-session-persistence`). */
    noSessionPersistence: z.boolean().optional(),
    /**
     * Emit `stream_event` messages as the answer streams (`--include-partial-messages`).
     * @defaultValue false
     */
    includePartialMessages: z.boolean().default(false),
    /** Effort level (`--effort`). */
    effort: z.enum(EFFORT_LEVELS).optional(),
    /** Beta headers for API requests (`--betas`). */
    betas: z.array(nonEmpty).optional(),
    /** Extra environment variables; `undefined` removes one. */
    env: z.record(z.string(), z.string().optional()).optional(),
    /**
     * Pass the whole parent environment instead of a minimal one.
     * @defaultValue false
     */
    inheritEnv: z.boolean().default(false),
    /** Path of the `claude` executable; found automatically when absent. */
    executable: nonEmpty.optional(),
    /** Anthropic API key (`ANTHROPIC_API_KEY`). Secret: never rendered in errors or logs. */
    apiKey: nonEmpty.optional(),
    /** Messages API base URL (`ANTHROPIC_BASE_URL`). */
    baseUrl: z.url().optional(),
    /**
     * The CLI's own API retries (`CLAUDE_CODE_MAX_RETRIES`); the CLI's default when absent.
     * @defaultValue `undefined`
     */
    cliMaxRetries: nonNegativeInt.optional(),
    /** Arguments appended verbatim after the mapped flags. */
    extraArgs: z.array(z.string()).optional(),
    /**
     * Time limits.
     * @defaultValue `{ idleMs: 180_000, killGraceMs: 2_000 }`
     */
    timeouts: TimeoutOptionsSchema.prefault({}),
    /**
     * Retries of failed attempts.
     * @defaultValue `{ maxAttempts: 3, initialDelayMs: 1_000, maxDelayMs: 30_000, multiplier: 2, jitter: 0.2 }`
     */
    retry: RetryOptionsSchema.prefault({}),
    /**
     * Longest line of CLI output accepted, in bytes.
     * @defaultValue 16 MiB
     */
    maxLineBytes: positiveInt.default(16 * 1024 * 1024),
    /**
     * How much of the CLI's stderr is kept for error messages, in bytes.
     * @defaultValue 8 KiB
     */
    stderrTailBytes: positiveInt.default(8 * 1024),
  })
  .superRefine((options, ctx) => {
    if (options.sandbox !== undefined && typeof options.settings === 'string') {
      ctx.addIssue({
        code: 'custom',
        path: ['sandbox'],
        input: options.sandbox,
        message: 'expected `settings` to be an object (or absent): `sandbox` is merged into it',
      });
    }
    if (options.thinking !== undefined && options.maxThinkingTokens !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxThinkingTokens'],
        input: options.maxThinkingTokens,
        message: 'expected `thinking` or `maxThinkingTokens`, not both',
      });
    }
    if (options.resumeDropsTurn !== undefined && options.resumeSessionAt === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['resumeDropsTurn'],
        input: options.resumeDropsTurn,
        message: 'expected `resumeSessionAt` to be set as well (it says where the turn begins)',
      });
    }
    if ((options.supportedDialogKinds?.length ?? 0) > 0 && options.onUserDialog === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['supportedDialogKinds'],
        input: options.supportedDialogKinds,
        message: 'expected `onUserDialog` to be set as well (it answers those dialogs)',
      });
    }
    const names = (options.sdkMcpServers ?? []).map((server) => server.name);
    const twice = names.findLastIndex((name, i) => names.indexOf(name) !== i);
    if (twice >= 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['sdkMcpServers', twice, 'name'],
        input: names[twice],
        message: 'expected a name no other in-process MCP server has',
      });
    }
    if (options.resumeSessionAt !== undefined && options.resume === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['resumeSessionAt'],
        input: options.resumeSessionAt,
        message: 'expected `resume` to be set as well (it says where to resume)',
      });
    }
    const fallbacks =
      typeof options.fallbackModel === 'string' ? [options.fallbackModel] : options.fallbackModel;
    if (options.model !== undefined && fallbacks?.includes(options.model)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fallbackModel'],
        input: options.fallbackModel,
        message: `expected fallback models that differ from \`model\` (${options.model})`,
      });
    }
    if (options.forkSession && options.resume === undefined && !options.continue) {
      ctx.addIssue({
        code: 'custom',
        path: ['forkSession'],
        input: options.forkSession,
        message: 'expected `resume` or `continue` to be set as well (it forks a resumed session)',
      });
    }
  });

/**
 * Query options as callers write them; the Agent SDK's names for them are accepted too (see
 * {@link AgentSdkOptionNames}).
 */
export type QueryOptions = Omit<z.input<typeof QueryOptionsSchema>, keyof AgentSdkOptionNames> &
  AgentSdkOptionNames;

/** Query options after parsing: defaults applied. */
export type ResolvedQueryOptions = z.output<typeof QueryOptionsSchema>;
