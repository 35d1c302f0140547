import type { Redis } from 'ioredis';
import { BudgetExceededError } from '../resilience/errors/budget-exceeded-error.js';
import type { AdmissionKeys } from './redis-admission-keys.js';
import {
  RENEW_SCRIPT,
  RESERVE_SCRIPT,
  SETTLE_SCRIPT,
  STATE_SCRIPT,
} from './shared-budget-scripts.js';

/** Micro-USD per USD: amounts are kept as integers in Redis so that sums are exact. */
const MICRO = 1_000_000;

/** Where a shared budget stands (USD). */
export interface SharedBudgetState {
  readonly limitUsd: number;
  /** Spent by the tasks that finished. */
  readonly spentUsd: number;
  /** Held by the reservations of tasks running now (expired ones reclaimed first). */
  readonly reservedUsd: number;
  /** How many reservations are held. */
  readonly reservations: number;
}

/** Options of {@link createSharedBudget}. */
export interface SharedBudgetOptions {
  /** A command connection (not one in subscriber mode); the caller closes it. */
  readonly redis: Redis;
  readonly keys: Pick<AdmissionKeys, 'budgetSpent' | 'budgetDeadlines' | 'budgetAmounts'>;
  /** The most all workers together may spend, in USD. */
  readonly limitUsd: number;
  /**
   * How long a reservation lives unless renewed: a worker that dies holding one gives it back
   * after this. @defaultValue 60000
   */
  readonly reservationTtlMs?: number;
}

/** A budget in Redis that every worker of a queue shares. */
export interface SharedBudget {
  /**
   * Reserves `amountUsd` for `jobId`, atomically: granted only if spent + reserved + amount
   * stays within the limit (and something is left, for an amount of 0).
   *
   * @throws {@link BudgetExceededError} (`scope: 'runtime'`, `unit: 'usd'`) when refused.
   */
  reserve(jobId: string, amountUsd: number): Promise<void>;
  /** Replaces `jobId`'s reservation by what it actually cost; returns the new spent total. */
  settle(jobId: string, costUsd: number): Promise<number>;
  /** Extends `jobId`'s reservation by the TTL; `false` when it holds none any more. */
  renew(jobId: string): Promise<boolean>;
  /** The limit, spent and reserved amounts now. */
  state(): Promise<SharedBudgetState>;
}

/**
 * A shared budget on Redis: reservations before tasks start and settlements after, each one
 * Lua script (see `shared-budget-scripts.ts`), so however many workers reserve at once the sum
 * never passes the limit. Reservations of a worker that died expire after
 * `reservationTtlMs` and are reclaimed by the next call.
 *
 * @throws TypeError when `limitUsd` or `reservationTtlMs` is not a non-negative finite number.
 * @example
 * ```ts
 * const budget = createSharedBudget({ redis, keys: admissionKeys('bull', 'tasks'), limitUsd: 5 });
 * await budget.reserve(job.id, 0.5); // throws BudgetExceededError when it would pass $5
 * await budget.settle(job.id, result.costUsd);
 * ```
 */
export function createSharedBudget(options: SharedBudgetOptions): SharedBudget {
  const { redis, keys, limitUsd, reservationTtlMs = 60_000 } = options;
  checkAmount('limitUsd', limitUsd);
  if (!Number.isInteger(reservationTtlMs) || reservationTtlMs <= 0) {
    throw new TypeError(
      `Expected the \`reservationTtlMs\` option to be a positive integer, got \`${reservationTtlMs}\``,
    );
  }
  const limit = Math.floor(limitUsd * MICRO);
  const keyList = [keys.budgetSpent, keys.budgetDeadlines, keys.budgetAmounts];
  const run = async (script: string, ...args: (string | number)[]): Promise<unknown> =>
    redis.eval(script, keyList.length, ...keyList, ...args);
  return {
    async reserve(jobId, amountUsd) {
      checkAmount('amountUsd', amountUsd);
      // Rounded up: a reservation never holds less than was asked.
      const amount = Math.ceil(amountUsd * MICRO);
      const [granted, spent, reserved] = (await run(
        RESERVE_SCRIPT,
        jobId,
        amount,
        limit,
        reservationTtlMs,
      )) as [number, number, number, number];
      if (granted === 1) return;
      throw new BudgetExceededError(
        { scope: 'runtime', unit: 'usd', limit: limitUsd, spent: (spent + reserved) / MICRO },
        { queryId: jobId },
      );
    },
    async settle(jobId, costUsd) {
      checkAmount('costUsd', costUsd);
      const spent = (await run(SETTLE_SCRIPT, jobId, Math.round(costUsd * MICRO))) as number;
      return spent / MICRO;
    },
    async renew(jobId) {
      return (await run(RENEW_SCRIPT, jobId, reservationTtlMs)) === 1;
    },
    async state() {
      const [spent, reserved, count] = (await run(STATE_SCRIPT)) as [number, number, number];
      return {
        limitUsd,
        spentUsd: spent / MICRO,
        reservedUsd: reserved / MICRO,
        reservations: count,
      };
    },
  };
}

function checkAmount(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(
      `Expected \`${name}\` to be a non-negative finite number of USD, got \`${String(value)}\` (${typeof value})`,
    );
  }
}
