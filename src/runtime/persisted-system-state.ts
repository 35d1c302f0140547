import { z } from 'zod';

const spent = z.strictObject({
  usd: z.number().nonnegative().finite(),
  tokens: z.number().nonnegative().finite(),
});

/**
 * What a runtime keeps of its budget in a store (`budget:<name>`): the budget actor's
 * `spending`, in the shape of its snapshot's context (`BudgetSpending`), not its stats (they
 * describe one process). Versioned: a newer or edited value fails validation and is ignored.
 */
export const PersistedBudgetStateSchema = z.strictObject({
  version: z.literal(1),
  spending: z.strictObject({ total: spent, byTag: z.record(z.string(), spent) }),
  /** When it was written (epoch ms), for people reading the store. */
  updatedAt: z.number().optional(),
});

/**
 * What a runtime keeps of its rate limiter in a store (`limiter:<name>`): a pause until a
 * rate or usage limit resets, as the limiter's persisted state has it (`pausedUntil`, epoch
 * ms, and `pauseReason`). Written when a pause starts, deleted when it ends.
 */
export const PersistedLimiterStateSchema = z.strictObject({
  version: z.literal(1),
  pausedUntil: z.number().int().positive(),
  reason: z.string().optional(),
  updatedAt: z.number().optional(),
});

/** A runtime's budget state in a store. */
export type PersistedBudgetState = z.output<typeof PersistedBudgetStateSchema>;
/** A runtime's limiter state in a store. */
export type PersistedLimiterState = z.output<typeof PersistedLimiterStateSchema>;

/** The state-store keys of the runtime named `name`. */
export function systemStateKeys(name: string): {
  readonly budget: string;
  readonly limiter: string;
} {
  return { budget: `budget:${name}`, limiter: `limiter:${name}` };
}
