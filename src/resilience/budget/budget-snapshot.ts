/**
 * A persisted budget snapshot in the budget machine's form. Snapshots persisted by 0.1.0 (when
 * the budget was a `fromTransition` actor: `{ status, context }`, no state value) become the
 * machine's `{ status, value: {}, historyValue: {}, children: {}, context }`; current ones pass
 * through. The runtime restores through this, so a saved `runtime.snapshot()` still loads.
 */
export function toBudgetSnapshot(persisted: unknown): unknown {
  if (typeof persisted !== 'object' || persisted === null) return persisted;
  if ('value' in persisted || !('context' in persisted)) return persisted;
  return {
    status: 'active',
    value: {},
    historyValue: {},
    children: {},
    context: (persisted as { context: unknown }).context,
  };
}
