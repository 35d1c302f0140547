import type { InspectionEvent, Observer } from 'xstate';
import { z } from 'zod';
import type { ClaudeProcessDependencies } from '../actors/cli-process-types.js';
import type { Logger } from '../core/logging/create-logger.js';
import { timerMsSchema } from '../core/validation/timer-ms-schema.js';
import { validate } from '../core/validation/validate.js';
import type { QueryOptions } from '../machines/query/options/query-options.js';
import type { ProcessPoolOptions } from '../process/pool/pool-options.js';
import { ProcessRegistryOptionSchema } from '../process/registry/process-registry-option.js';
import type { CircuitBreakerOptions } from '../resilience/breaker/circuit-breaker-options.js';
import type { BudgetOptions } from '../resilience/budget/budget-options.js';
import type { RateLimiterOptions } from '../resilience/limiter/rate-limiter-options.js';
import type { Store } from '../store/store.js';
import { PluginsSchema } from '../telemetry/plugins/plugins-schema.js';
import { TelemetryOptionsSchema } from '../telemetry/telemetry-options.js';
import type { RuntimeSnapshot } from './runtime-snapshot.js';

const count = z.number().int().nonnegative();
const seconds = z.number().positive();

/** Limits of the supervisor that runs the queries. */
export const QueriesSupervisorOptionsSchema = z.strictObject({
  /**
   * Restarts of any query allowed within `period` before the queries supervisor gives up and
   * escalates (OTP intensity: one counter for all queries). Each query's own
   * `retry.maxAttempts` bounds its restarts; this is the meltdown guard.
   * @defaultValue 1000
   */
  intensity: count.default(1000),
  /** Seconds. @defaultValue 60 */
  period: seconds.default(60),
  /**
   * How long running queries may take to finish their attempt before they are cancelled: the
   * default deadline of `runtime.stop()`, and the grace they get when the queries supervisor
   * gives up (ms).
   * @defaultValue 30_000
   */
  shutdownMs: timerMsSchema(0).default(30_000),
});

/** Limits of the root supervisor. */
export const RootSupervisorOptionsSchema = z.strictObject({
  /** @defaultValue 3 */
  intensity: count.default(3),
  /** Seconds. @defaultValue 5 */
  period: seconds.default(5),
});

/** Options of {@link createRuntime}. */
export const RuntimeOptionsSchema = z.strictObject({
  /** Query options every query starts from; a query's own options override them. */
  defaults: z.custom<QueryOptions>((v) => typeof v === 'object' && v !== null).optional(),
  queries: QueriesSupervisorOptionsSchema.prefault({}),
  root: RootSupervisorOptionsSchema.prefault({}),
  /**
   * The shared rate limiter (`createRateLimiter` options), or `false` for none.
   * @defaultValue `{ maxConcurrent: 8 }`
   */
  limiter: z
    .union([
      z.literal(false),
      z.custom<RateLimiterOptions>((v) => typeof v === 'object' && v !== null),
    ])
    .default({ maxConcurrent: 8 }),
  /**
   * The shared circuit breaker (`createCircuitBreaker` options), or `false` for none.
   * @defaultValue `{}` (5 consecutive API failures open it for 30 s)
   */
  breaker: z
    .union([
      z.literal(false),
      z.custom<CircuitBreakerOptions>((v) => typeof v === 'object' && v !== null),
    ])
    .default({}),
  /**
   * Budgets and stats (`createBudget` options), or `false` for none.
   * @defaultValue `{}` (stats only, no limit)
   */
  budget: z
    .union([z.literal(false), z.custom<BudgetOptions>((v) => typeof v === 'object' && v !== null)])
    .default({}),
  /**
   * A durable store (`openSqliteStore(path)`, `createMemoryStore()`), which the caller opens
   * and closes. The runtime keeps its budget spending and its rate limiter's pause (until a
   * usage limit resets) in `store.state`, written at each spend and at each pause's start and
   * end, and reads them back at start, before admitting any query (a stored value that does
   * not validate is logged and ignored); records every query and session in `store.sessions`
   * (see `runtime.sessions`); and its CLI processes in `store.processes`.
   */
  store: z
    .custom<Store>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as { state?: { get?: unknown } }).state?.get === 'function' &&
        typeof (v as { sessions?: { put?: unknown } }).sessions?.put === 'function',
      { error: 'expected a store (openSqliteStore, createMemoryStore)' },
    )
    .optional(),
  /**
   * The runtime's name in its store: its state is kept under `budget:<name>` and
   * `limiter:<name>`, and a runtime started later with the same name goes on from it. Each
   * runtime writes the whole value it holds (the last write wins), so runtimes running at the
   * same time on one store need names of their own.
   * @defaultValue 'default'
   */
  name: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'expected 1 to 100 letters, digits, `_`, `.` or `-`')
    .default('default'),
  /** A snapshot from `runtime.snapshot()`: the system actors start from it. */
  restore: z.custom<RuntimeSnapshot>((v) => typeof v === 'object' && v !== null).optional(),
  /**
   * A warm process pool shared by the runtime's queries (see `ProcessPool`); off when absent.
   */
  pool: z.custom<ProcessPoolOptions>((v) => typeof v === 'object' && v !== null).optional(),
  /** An XState inspection observer: sees every actor the runtime creates, with parents. */
  inspect: z
    .custom<Observer<InspectionEvent> | ((event: InspectionEvent) => void)>(
      (v) => typeof v === 'function' || (typeof v === 'object' && v !== null),
      { error: 'expected an inspection observer or function' },
    )
    .optional(),
  /** A pino logger; silent when absent. */
  logger: z.custom<Logger>((v) => typeof v === 'object' && v !== null).optional(),
  /** Where query spans go (OpenTelemetry) and how metrics are labelled. */
  telemetry: TelemetryOptionsSchema.prefault({}),
  /**
   * Plugins (`RuntimePlugin`): hooks before and after each query, on its messages and retries,
   * called in this order, each isolated from the query and from the others.
   * @defaultValue `[]`
   */
  plugins: PluginsSchema.default([]),
  /**
   * `registry`: where the CLI processes are recorded until they exit, and whose records of
   * dead hosts are reaped at start (see `ProcessRegistryOptionSchema`, `reapOrphans`).
   * @defaultValue `{ registry: 'default' }`
   * The other fields replace how processes are spawned (tests, @internal).
   */
  processes: z
    .intersection(
      z.looseObject({ registry: ProcessRegistryOptionSchema.optional() }),
      z.custom<ClaudeProcessDependencies>((v) => typeof v === 'object' && v !== null),
    )
    .optional(),
});

/** Options of {@link createRuntime}, as callers write them. */
export type RuntimeOptions = z.input<typeof RuntimeOptionsSchema>;
/** Options of {@link createRuntime} with defaults applied. */
export type ResolvedRuntimeOptions = z.output<typeof RuntimeOptionsSchema>;

/** @throws {@link InvalidOptionsError} naming the option and the value. */
export function parseRuntimeOptions(input: unknown): ResolvedRuntimeOptions {
  return validate(RuntimeOptionsSchema, input ?? {}, { what: 'runtime option' });
}
