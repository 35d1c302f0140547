import type { HookRegistration } from './control-handler-types.js';
import type { HookCallback, ResolvedControlOptions } from './control-options.js';

/** The callback id of one hook: stable for given options, so every process registers the same. */
function callbackId(event: string, matcherIndex: number, hookIndex: number): string {
  return `hook_${event}_${matcherIndex}_${hookIndex}`;
}

/**
 * The `hooks` field of the `initialize` request: callback ids per event and matcher (the
 * functions stay in the host). `undefined` when no hook is configured.
 */
export function hookRegistration(
  hooks: ResolvedControlOptions['hooks'],
): HookRegistration | undefined {
  if (hooks === undefined || Object.keys(hooks).length === 0) return undefined;
  const registration: HookRegistration = {};
  for (const [event, matchers] of Object.entries(hooks)) {
    registration[event] = matchers.map((m, i) => ({
      ...(m.matcher === undefined ? {} : { matcher: m.matcher }),
      hookCallbackIds: m.hooks.map((_, j) => callbackId(event, i, j)),
      ...(m.timeout === undefined ? {} : { timeout: m.timeout }),
    }));
  }
  return registration;
}

/** What a callback id stands for. */
export interface HookEntry {
  readonly event: string;
  readonly hook: HookCallback;
}

/** Callback id → hook function and event, for answering `hook_callback` requests. */
export function hookLookup(hooks: ResolvedControlOptions['hooks']): Map<string, HookEntry> {
  const lookup = new Map<string, HookEntry>();
  for (const [event, matchers] of Object.entries(hooks ?? {})) {
    matchers.forEach((m, i) => {
      m.hooks.forEach((hook, j) => {
        lookup.set(callbackId(event, i, j), { event, hook });
      });
    });
  }
  return lookup;
}
