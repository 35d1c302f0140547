import { type Observable, Subject } from 'rxjs';
import type { Logger } from '../../core/logging/create-logger.js';
import type { QueryOptions } from '../../machines/query/options/query-options.js';
import type { QueryPrompt } from '../../machines/query/query-types.js';
import type {
  BeforeQueryContext,
  PluginErrorEvent,
  PluginHookName,
  RuntimePlugin,
} from './runtime-plugin.js';

/** The prompt and options after every `beforeQuery`, or the refusal that stopped them. */
export type BeforeQueryOutcome =
  | { readonly prompt: QueryPrompt; readonly options: QueryOptions; readonly refused?: undefined }
  | { readonly refused: { readonly plugin: string; readonly reason: string } };

type HookArgs<H extends PluginHookName> = Parameters<NonNullable<RuntimePlugin[H]>>;

/**
 * @internal Calls the hooks of a list of plugins, in order, each isolated: a hook that throws
 * or rejects is logged (`warn`) and reported on {@link PluginHost.errors$}, never to the
 * caller. Hooks are not awaited.
 */
export class PluginHost {
  readonly #plugins: readonly RuntimePlugin[];
  readonly #errors = new Subject<PluginErrorEvent>();
  readonly #log: Logger | undefined;
  /** Every hook that threw or rejected. */
  readonly errors$: Observable<PluginErrorEvent> = this.#errors.asObservable();

  constructor(plugins: readonly RuntimePlugin[], logger?: Logger | undefined) {
    this.#plugins = plugins;
    this.#log = logger?.child({ component: 'plugins' });
  }

  /** Whether any plugin has this hook (callers skip work for none). */
  has(hook: PluginHookName): boolean {
    return this.#plugins.some((plugin) => typeof plugin[hook] === 'function');
  }

  /**
   * Runs every `beforeQuery` in order, each seeing the previous one's prompt and options. A
   * change `check` rejects (it throws for an invalid prompt or options) is reported as that
   * plugin's error and dropped; the first refusal stops the chain.
   */
  beforeQuery(
    context: BeforeQueryContext,
    check: (prompt: QueryPrompt, options: QueryOptions) => void,
  ): BeforeQueryOutcome {
    let { prompt, options } = context;
    for (const plugin of this.#plugins) {
      if (!plugin.beforeQuery) continue;
      try {
        const decision = plugin.beforeQuery({ ...context, prompt, options });
        if (!decision) continue;
        if ('refuse' in decision) {
          return { refused: { plugin: plugin.name, reason: String(decision.refuse) } };
        }
        const next = { prompt: decision.prompt ?? prompt, options: decision.options ?? options };
        check(next.prompt, next.options);
        ({ prompt, options } = next);
      } catch (error) {
        this.#report(plugin, 'beforeQuery', context.queryId, error);
      }
    }
    return { prompt, options };
  }

  /** Calls `hook` of every plugin that has it, isolated; `queryId` names the query in reports. */
  call<H extends Exclude<PluginHookName, 'beforeQuery'>>(
    hook: H,
    queryId: string | undefined,
    ...args: HookArgs<H>
  ): void {
    for (const plugin of this.#plugins) {
      const fn = plugin[hook] as ((...a: HookArgs<H>) => unknown) | undefined;
      if (!fn) continue;
      try {
        const returned = fn.apply(plugin, args);
        if (isThenable(returned)) {
          returned.then(undefined, (error: unknown) => this.#report(plugin, hook, queryId, error));
        }
      } catch (error) {
        this.#report(plugin, hook, queryId, error);
      }
    }
  }

  /** No more reports: `errors$` completes. */
  close(): void {
    this.#errors.complete();
  }

  #report(
    plugin: RuntimePlugin,
    hook: PluginHookName,
    queryId: string | undefined,
    error: unknown,
  ) {
    this.#log?.warn({ plugin: plugin.name, hook, queryId, error }, 'plugin hook failed');
    this.#errors.next({ plugin: plugin.name, hook, queryId, error });
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
