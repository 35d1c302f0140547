import { z } from 'zod';
import type { TaskQueueClock } from '../core/clock.js';
import { timerMsSchema } from '../core/validation/timer-ms-schema.js';
import { validate } from '../core/validation/validate.js';

/** Hosts {@link serveDashboard} may bind: loopback only. */
export type DashboardHost = '127.0.0.1' | '::1' | 'localhost';

/** Options of {@link serveDashboard}. */
export interface DashboardOptions {
  /**
   * TCP port of the page and its event stream.
   *
   * @defaultValue `0` (a free port; read it from {@link Dashboard.url})
   */
  port?: number;
  /**
   * Loopback address to bind; `localhost` binds `127.0.0.1`. Any other value is refused: the
   * page shows prompts' output and must not leave the machine.
   *
   * @defaultValue `'127.0.0.1'`
   */
  host?: DashboardHost;
  /**
   * Characters of live text kept per query; older text is dropped first (and counted).
   *
   * @defaultValue `8_000`
   */
  maxTextChars?: number;
  /**
   * Queries whose text is kept; the oldest finished one is dropped first.
   *
   * @defaultValue `24`
   */
  maxQueries?: number;
  /**
   * Recent errors kept; the oldest is dropped first (and counted).
   *
   * @defaultValue `50`
   */
  maxErrors?: number;
  /**
   * Runs (task plans) kept; the oldest is dropped first.
   *
   * @defaultValue `5`
   */
  maxRuns?: number;
  /**
   * How often the limiter, breaker, budget, cost and running queries are read.
   *
   * @defaultValue `500`
   */
  pollMs?: number;
  /**
   * Changes are gathered and pushed to the pages this often (several changes of one thing in
   * that time make one update).
   *
   * @defaultValue `100`
   */
  flushMs?: number;
  /**
   * A page whose connection holds more unsent bytes than this is cut off (its browser
   * reconnects and gets the whole state again) rather than buffered without bound.
   *
   * @defaultValue `4 MiB`
   */
  maxClientBacklogBytes?: number;
  /** Where event times are read. @defaultValue `Date.now` */
  clock?: TaskQueueClock;
}

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'] as const;
const positiveInt = z.number().int().positive();

const DashboardOptionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).default(0),
  host: z
    .enum(LOOPBACK_HOSTS, {
      error:
        'expected a loopback host ("127.0.0.1", "::1" or "localhost"); ' +
        'the dashboard never binds other interfaces',
    })
    .default('127.0.0.1'),
  maxTextChars: positiveInt.default(8_000),
  maxQueries: positiveInt.default(24),
  maxErrors: positiveInt.default(50),
  maxRuns: positiveInt.default(5),
  pollMs: timerMsSchema(1).default(500),
  flushMs: timerMsSchema(1).default(100),
  maxClientBacklogBytes: positiveInt.default(4 * 1024 * 1024),
  clock: z
    .custom<TaskQueueClock>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { now?: unknown }).now === 'function',
      { message: 'expected a clock with a now() method' },
    )
    .optional(),
});

/** Options after validation and defaults. @internal */
export type ResolvedDashboardOptions = z.output<typeof DashboardOptionsSchema>;

/**
 * Validates the options once, at the public boundary.
 *
 * @throws {@link InvalidOptionsError} naming the option and the value received, e.g. a `host`
 *   that is not a loopback address.
 * @internal
 */
export function parseDashboardOptions(options: DashboardOptions = {}): ResolvedDashboardOptions {
  return validate(DashboardOptionsSchema, options, { what: 'dashboard option' });
}
