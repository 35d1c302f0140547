import type { Backoff } from '../core/backoff/backoff.js';
import type { ResetContext } from '../core/backoff/resetting-backoff.js';
import { restartBackoff } from '../core/backoff/restart-backoff.js';
import { parseWithReasons, SupervisorFlagsSchema } from './child-spec-schema.js';
import type { AutoShutdown, Strategy, SupervisorFlags } from './types.js';

/** @internal Supervisor flags with defaults applied. */
export interface NormalizedFlags {
  readonly strategy: Strategy;
  readonly intensity: number;
  readonly periodMs: number;
  readonly autoShutdown: AutoShutdown;
  /** The restart backoff every child starts from, or `undefined` to restart at once. */
  readonly backoff: Backoff<ResetContext> | undefined;
}

/**
 * Validates supervisor flags (zod) with OTP's defaults (one_for_one, intensity 1, period 5 s).
 *
 * @throws {@link InvalidChildSpecError}
 */
export function normalizeFlags(flags: SupervisorFlags): NormalizedFlags {
  const parsed = parseWithReasons(SupervisorFlagsSchema, flags);
  const backoff =
    parsed.backoff &&
    restartBackoff(
      { ...parsed.backoff, resetAfterMs: parsed.backoff.resetAfterMs ?? parsed.backoff.maxMs },
      flags.random ?? Math.random,
    );
  return {
    strategy: parsed.strategy,
    intensity: parsed.intensity,
    periodMs: parsed.period * 1000,
    autoShutdown: parsed.autoShutdown,
    backoff,
  };
}
