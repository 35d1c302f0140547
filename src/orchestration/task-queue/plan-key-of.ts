import type { Plan } from '../plan/plan-schema.js';
import type { PlanHashes } from './plan-hash.js';

/**
 * What names "the same plan" in the journal when a resume is given no run id: the plan's
 * name, else its hash.
 * @internal
 */
export function planKeyOf(plan: Plan, hashes: PlanHashes): string {
  return plan.name ?? hashes.planHash;
}
