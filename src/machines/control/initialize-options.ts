import { z } from 'zod';
import { nonEmptyString as nonEmpty } from '../../core/validation/non-empty-string.js';
import type { ResolvedControlOptions } from './control-options.js';

/**
 * A skill name as the Agent SDK accepts it: the skill's directory name or `plugin:skill`, without
 * parentheses, commas or control characters (they would break the `Skill(name)` rule it becomes),
 * not `*` and not a slash command.
 */
const skillName = nonEmpty
  .refine((name) => !/[(),\p{Cc}]/u.test(name), {
    error: 'expected a skill name without parentheses, commas or control characters',
  })
  .refine((name) => name !== '*', {
    error: "expected a skill name; use `skills: 'all'` for every skill",
  })
  .refine((name) => !name.startsWith('/'), {
    error: 'expected the skill name (its directory name), not a slash command',
  });

/**
 * Options the CLI takes in the `initialize` control request only (no flag): declared by the
 * host before its first turn. Any of them makes a query send `initialize` (and keep stdin open
 * until its result), as a session always does.
 */
export const InitializeOptionsSchema = z.strictObject({
  /**
   * Periodic AI-written progress summaries of running subagents, in `task_progress` messages'
   * `summary` (`initialize.agentProgressSummaries`).
   */
  agentProgressSummaries: z.boolean().optional(),
  /**
   * Tool names the model may emit that resolve to another tool, e.g.
   * `{ Bash: 'mcp__workspace__bash' }`; single-hop (`initialize.toolAliases`).
   */
  toolAliases: z.record(nonEmpty, nonEmpty).optional(),
  /**
   * Skills to enable: `'all'`, or names (a skill's directory name, or `plugin:skill`). Adds
   * `Skill` (all) or `Skill(name)` to `allowedTools`; names also go in `initialize.skills`, which
   * hides the others from the model.
   */
  skills: z
    .union([z.literal('all'), z.array(skillName)], {
      error: "expected `'all'` or an array of skill names",
    })
    .optional(),
  /**
   * `request_user_dialog` kinds `onUserDialog` can render (e.g. `refusal_fallback_prompt`); the
   * CLI sends no other kind (`initialize.supportedDialogKinds`). Needs `onUserDialog`.
   */
  supportedDialogKinds: z.array(nonEmpty).optional(),
  /**
   * This host stops background tasks one by one (`session.stopTask`): an interrupt then spares
   * them (`initialize.perTaskStopAffordance`).
   */
  perTaskStopAffordance: z.boolean().optional(),
  /**
   * Policy-tier settings, as a parent process enforces them (e.g. `{ sandbox: { ... } }`): sent
   * in `initialize.managedSettings` (`--await-initialize --managed-settings-in-initialize`),
   * never on argv, so any secret in them stays out of `ps`.
   */
  managedSettings: z.record(z.string(), z.unknown()).optional(),
  /**
   * How `plugins` reach the CLI: `argv` (one `--plugin-dir` each) or `initialize` (the list in
   * `initialize.plugins`, with `--await-initialize`: argv does not grow with the plugin count).
   * @defaultValue 'argv'
   */
  pluginDelivery: z.enum(['argv', 'initialize']).optional(),
});

/** What {@link initializeRequest} reads: the control and initialize options of a query or session. */
export type InitializeSource = z.output<typeof InitializeOptionsSchema> &
  Partial<Pick<ResolvedControlOptions, 'hooks' | 'sdkMcpServers'>> & {
    readonly plugins?: readonly { readonly type: 'local'; readonly path: string }[] | undefined;
  };

/** Plugins go in `initialize` (not argv) for these options. */
export function pluginsViaInitialize(options: InitializeSource): boolean {
  return options.pluginDelivery === 'initialize' && (options.plugins?.length ?? 0) > 0;
}

/**
 * Whether the CLI must read an `initialize` request first: hooks, in-process MCP servers, or an
 * option only `initialize` carries. A query sends it only then; a session always does.
 */
export function needsInitialize(options: InitializeSource): boolean {
  return (
    Object.keys(options.hooks ?? {}).length > 0 ||
    (options.sdkMcpServers?.length ?? 0) > 0 ||
    options.agentProgressSummaries !== undefined ||
    options.toolAliases !== undefined ||
    Array.isArray(options.skills) ||
    options.supportedDialogKinds !== undefined ||
    options.perTaskStopAffordance !== undefined ||
    options.managedSettings !== undefined ||
    pluginsViaInitialize(options)
  );
}

/**
 * Whether the CLI must be started with `--await-initialize` (it then waits for `initialize` as
 * its first stdin line, before any start-up work): managed settings or plugins delivered there.
 */
export function awaitsInitialize(options: InitializeSource): boolean {
  return options.managedSettings !== undefined || pluginsViaInitialize(options);
}
