import type { RestartBackoffOptions } from '../core/backoff/restart-backoff.js';
import { parseWithReasons, SupervisorFlagsSchema } from './child-spec-schema.js';
import type { AutoShutdown, Strategy, SupervisorFlags } from './types.js';

/** @internal Supervisor flags with defaults applied. */
export interface NormalizedFlags {
  readonly strategy: Strategy;
  readonly intensity: number;
  readonly periodMs: number;
  readonly autoShutdown: AutoShutdown;
  readonly backoff: Required<RestartBackoffOptions> | undefined;
  readonly random: () => number;
}

/**
 * Validates supervisor flags (zod) with OTP's defaults (one_for_one, intensity 1, period 5 s).
 *
 * @throws {@link InvalidChildSpecError}
 */
export function normalizeFlags(flags: SupervisorFlags): NormalizedFlags {
  const parsed = parseWithReasons(SupervisorFlagsSchema, flags);
  const backoff = parsed.backoff && {
    ...parsed.backoff,
    resetAfterMs: parsed.backoff.resetAfterMs ?? parsed.backoff.maxMs,
  };
  return {
    strategy: parsed.strategy,
    intensity: parsed.intensity,
    periodMs: parsed.period * 1000,
    autoShutdown: parsed.autoShutdown,
    backoff,
    random: flags.random ?? Math.random,
  };
}
