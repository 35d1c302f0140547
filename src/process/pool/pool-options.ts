import { z } from 'zod';
import { timerMsSchema } from '../../core/validation/timer-ms-schema.js';
import { validate } from '../../core/validation/validate.js';

/** Options of the warm process pool. */
export const ProcessPoolOptionsSchema = z.strictObject({
  /**
   * Idle processes kept ready per configuration (model, cwd, tools, env… everything but the
   * prompt). `0` disables pre-spawning.
   * @defaultValue 1
   */
  size: z.number().int().nonnegative().default(1),
  /**
   * Idle processes in all, over every configuration; the least recently used configuration
   * gives way first. Each idle CLI holds 200–300 MB.
   * @defaultValue 4
   */
  maxIdle: z.number().int().nonnegative().default(4),
  /**
   * An idle process older than this is stopped; its configuration is not refilled until it is
   * used again.
   * @defaultValue 300_000
   */
  maxIdleMs: timerMsSchema(1).default(300_000),
  /**
   * Whether a process that finished a query may serve another one after `/clear`.
   * `'never'` (default): every query gets a process that never served another.
   * `'clear-if-no-tools'`: a process whose query used no tool at all is cleared and reused;
   * any tool call (which may leave shell state, files read, background tasks or permissions
   * behind) retires it. See the README for the measured trade-off.
   * @defaultValue 'never'
   */
  reuse: z.enum(['never', 'clear-if-no-tools']).default('never'),
});

/** Pool options as callers write them. */
export type ProcessPoolOptions = z.input<typeof ProcessPoolOptionsSchema>;
/** Pool options with defaults applied. */
export type ResolvedProcessPoolOptions = z.output<typeof ProcessPoolOptionsSchema>;

/** @throws {@link InvalidOptionsError} naming the option and the value. */
export function parseProcessPoolOptions(input: unknown): ResolvedProcessPoolOptions {
  return validate(ProcessPoolOptionsSchema, input ?? {}, { what: 'pool option' });
}
