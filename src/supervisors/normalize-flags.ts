import { InvalidChildSpecError } from '../errors/invalid-child-spec-error.js';
import type { AutoShutdown, RestartBackoffOptions, Strategy, SupervisorFlags } from './types.js';

/** @internal Supervisor flags with defaults applied. */
export interface NormalizedFlags {
  readonly strategy: Strategy;
  readonly intensity: number;
  readonly periodMs: number;
  readonly autoShutdown: AutoShutdown;
  readonly backoff: Required<RestartBackoffOptions> | undefined;
  readonly random: () => number;
}

const STRATEGIES: readonly unknown[] = [
  'one_for_one',
  'one_for_all',
  'rest_for_one',
  'simple_one_for_one',
];
const AUTO_SHUTDOWNS: readonly unknown[] = ['never', 'any_significant', 'all_significant'];

/**
 * Validates supervisor flags with OTP's defaults (one_for_one, intensity 1, period 5 s).
 *
 * @throws {@link InvalidChildSpecError}
 */
export function normalizeFlags(flags: SupervisorFlags): NormalizedFlags {
  const strategy = flags.strategy ?? 'one_for_one';
  if (!STRATEGIES.includes(strategy)) throw new InvalidChildSpecError('invalid_strategy', strategy);
  const intensity = flags.intensity ?? 1;
  if (!Number.isInteger(intensity) || intensity < 0) {
    throw new InvalidChildSpecError('invalid_intensity', intensity);
  }
  const period = flags.period ?? 5;
  if (typeof period !== 'number' || !(period > 0)) {
    throw new InvalidChildSpecError('invalid_period', period);
  }
  const autoShutdown = flags.autoShutdown ?? 'never';
  if (!AUTO_SHUTDOWNS.includes(autoShutdown)) {
    throw new InvalidChildSpecError('invalid_auto_shutdown', autoShutdown);
  }
  let backoff: Required<RestartBackoffOptions> | undefined;
  if (flags.backoff !== undefined) {
    const { minMs, maxMs, randomFactor = 0, resetAfterMs = flags.backoff.maxMs } = flags.backoff;
    const ok =
      Number.isFinite(minMs) &&
      minMs >= 0 &&
      Number.isFinite(maxMs) &&
      maxMs >= minMs &&
      randomFactor >= 0 &&
      resetAfterMs >= 0;
    if (!ok) throw new InvalidChildSpecError('invalid_backoff', flags.backoff);
    backoff = { minMs, maxMs, randomFactor, resetAfterMs };
  }
  return {
    strategy: strategy as Strategy,
    intensity,
    periodMs: period * 1000,
    autoShutdown: autoShutdown as AutoShutdown,
    backoff,
    random: flags.random ?? Math.random,
  };
}
