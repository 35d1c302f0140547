import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { QueryOptions } from '../../machines/query/options/query-options.js';
import type { QueryPrompt, QueryResult } from '../../machines/query/query-types.js';
import type { CliMessage } from '../../protocol/cli-message.js';

/** The query a hook is called for. */
export interface PluginQueryInfo {
  readonly queryId: string;
  readonly tags: readonly string[];
}

/** What `beforeQuery` sees: the prompt and the query's own options (before the defaults). */
export interface BeforeQueryContext extends PluginQueryInfo {
  readonly prompt: QueryPrompt;
  readonly options: QueryOptions;
}

/**
 * What `beforeQuery` may return: nothing (go on unchanged), a new prompt and/or new options
 * (they replace the old ones, and the next plugin sees them), or a refusal: the query does not
 * start and fails with `PluginRefusedError` (code `PLUGIN_REFUSED`).
 */
export type BeforeQueryDecision =
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook written `() => {}` returns void.
  | void
  | { readonly prompt?: QueryPrompt; readonly options?: QueryOptions }
  | { readonly refuse: string };

/** A retry the runtime planned after a failed attempt. */
export interface PluginRetryInfo extends PluginQueryInfo {
  /** The attempt that failed. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: ClaudeActorsError;
}

/** A run of a task of a task plan began (`runTaskQueue`). */
export interface PluginTaskStart {
  readonly runId: string;
  readonly taskId: string;
  /** Runs of the task so far, this one included. */
  readonly attempt: number;
  readonly queryId: string;
}

/** A task of a task plan ended (`runTaskQueue`). */
export interface PluginTaskEnd {
  readonly runId: string;
  readonly taskId: string;
  readonly status: 'succeeded' | 'failed' | 'cancelled' | 'skipped';
  readonly attempts: number;
  readonly durationMs: number;
  readonly costUsd: number;
  /** Why it failed, was cancelled or skipped. */
  readonly error?: unknown;
}

/**
 * A plugin: named hooks the runtime (and `runTaskQueue`) call at points of a query's life.
 * Every hook is optional. Plugins run in the order they were given; each hook of each plugin
 * is isolated: a hook that throws (or whose promise rejects) is logged and reported on
 * `runtime.pluginErrors$`, and the query goes on as if that hook had not been there. Hooks are
 * not awaited by the query: a slow `afterQuery` delays nothing.
 *
 * @example
 * const audit: RuntimePlugin = {
 *   name: 'audit',
 *   beforeQuery: ({ prompt }) =>
 *     typeof prompt === 'string' && prompt.includes('rm -rf') ? { refuse: 'no deletions' } : undefined,
 *   afterQuery: (result) => void ledger.write(result.queryId, result.costUsd),
 * };
 * createRuntime({ plugins: [audit] });
 */
export interface RuntimePlugin {
  /** Names the plugin in logs, errors and `pluginErrors$`. */
  readonly name: string;
  /**
   * Before a query starts (synchronous, as `runtime.query` is): may change its prompt or
   * options, or refuse it. A change that makes the prompt or options invalid is reported as
   * the plugin's error and ignored.
   */
  beforeQuery?(context: BeforeQueryContext): BeforeQueryDecision;
  /** After a query settled (succeeded, failed or cancelled), with its result. */
  afterQuery?(result: QueryResult, query: PluginQueryInfo): void | Promise<void>;
  /** Each CLI message of each attempt, in order. Keep it cheap: it runs for every line. */
  onMessage?(message: CliMessage, query: PluginQueryInfo & { readonly attempt: number }): void;
  /** A failed attempt will be retried after `delayMs`. */
  onRetry?(retry: PluginRetryInfo): void | Promise<void>;
  /** A task run began (hooks given to `runTaskQueue`). */
  onTaskStart?(task: PluginTaskStart): void | Promise<void>;
  /** A task ended (hooks given to `runTaskQueue`). */
  onTaskEnd?(task: PluginTaskEnd): void | Promise<void>;
}

/** The name of a hook of {@link RuntimePlugin}. */
export type PluginHookName = Exclude<keyof RuntimePlugin, 'name'>;

/** A hook that threw or rejected, as `runtime.pluginErrors$` reports it. */
export interface PluginErrorEvent {
  readonly plugin: string;
  readonly hook: PluginHookName;
  /** The query the hook ran for, if any. */
  readonly queryId: string | undefined;
  readonly error: unknown;
}
