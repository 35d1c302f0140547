import type { AnyActorLogic } from 'xstate';
import { type PoolActorInput, poolActorLogic } from '../process/pool/pool-actor.js';
import { createCircuitBreaker } from '../resilience/breaker/create-circuit-breaker.js';
import { toBudgetSnapshot } from '../resilience/budget/budget-snapshot.js';
import { createBudget } from '../resilience/budget/create-budget.js';
import { createRateLimiter } from '../resilience/limiter/create-rate-limiter.js';
import { createSupervisor } from '../supervisors/create-supervisor.js';
import type { ChildSpec, SupervisorFlags } from '../supervisors/types.js';
import type { ResolvedRuntimeOptions } from './runtime-options.js';

/**
 * The XState `systemId`s of a runtime's system actors: `root.system.get(id)` is the live actor,
 * the new one after a restart, `undefined` while it is down.
 */
export const RUNTIME_SYSTEM_IDS = {
  limiter: 'claude-actors.limiter',
  breaker: 'claude-actors.breaker',
  budget: 'claude-actors.budget',
  pool: 'claude-actors.pool',
  queries: 'claude-actors.queries',
  sessions: 'claude-actors.sessions',
} as const;

/** The name of one of a runtime's system actors. */
export type RuntimeActorName = keyof typeof RUNTIME_SYSTEM_IDS;

/** What the tree needs besides options: the parts that carry behaviour. */
export interface RuntimeTreeParts {
  /** The template of the queries supervisor (`simple_one_for_one`): one child per query. */
  readonly queryWorker: ChildSpec;
  /** The pool actor's input; required when the options ask for a pool. */
  readonly pool?: PoolActorInput;
}

/** A runtime's supervision tree: the root supervisor's flags and its children, in start order. */
export interface RuntimeTreeSpec {
  readonly flags: SupervisorFlags;
  readonly children: readonly ChildSpec[];
}

const SYSTEM_FLAGS: SupervisorFlags = { strategy: 'one_for_one', intensity: 5, period: 10 };

/**
 * The supervision tree of a runtime, from its resolved options; nothing starts here. The root
 * (`one_for_one`) starts, in order: `system` (a supervisor of the enabled limiter, breaker and
 * budget), `pool` (when asked for), `queries` (`simple_one_for_one` of `parts.queryWorker`) and
 * `sessions` (`one_for_one`, empty: sessions are added one by one). Each system actor is
 * registered under its {@link RUNTIME_SYSTEM_IDS} entry.
 *
 * @throws Error when the options ask for a pool and `parts.pool` is missing.
 */
export function runtimeTree(
  options: ResolvedRuntimeOptions,
  parts: RuntimeTreeParts,
): RuntimeTreeSpec {
  if (options.pool && !parts.pool) throw new Error('runtimeTree: the pool option needs parts.pool');
  const queryFlags = { intensity: options.queries.intensity, period: options.queries.period };
  const pool = options.pool && parts.pool;
  return {
    flags: {
      strategy: 'one_for_one',
      intensity: options.root.intensity,
      period: options.root.period,
    },
    children: [
      systemSupervisorSpec(options),
      ...(pool ? [poolSpec(pool)] : []),
      supervisorSpec('queries', { strategy: 'simple_one_for_one', ...queryFlags }, [
        parts.queryWorker,
      ]),
      supervisorSpec('sessions', { strategy: 'one_for_one', ...queryFlags }, []),
    ],
  };
}

function supervisorSpec(
  name: 'queries' | 'sessions',
  flags: SupervisorFlags,
  children: readonly ChildSpec[],
): ChildSpec {
  return {
    id: name,
    type: 'supervisor',
    start: () => ({
      logic: createSupervisor(flags, children),
      systemId: RUNTIME_SYSTEM_IDS[name],
    }),
  };
}

function poolSpec(input: PoolActorInput): ChildSpec {
  return {
    id: 'pool',
    start: () => ({ logic: poolActorLogic, input, systemId: RUNTIME_SYSTEM_IDS.pool }),
  };
}

/** The `system` supervisor: one child per enabled actor, restored from `options.restore`. */
function systemSupervisorSpec(options: ResolvedRuntimeOptions): ChildSpec {
  const logics: Record<'limiter' | 'breaker' | 'budget', AnyActorLogic | undefined> = {
    limiter: options.limiter ? createRateLimiter(options.limiter) : undefined,
    breaker: options.breaker ? createCircuitBreaker(options.breaker) : undefined,
    budget: options.budget ? createBudget(options.budget) : undefined,
  };
  const children: ChildSpec[] = [];
  for (const name of ['limiter', 'breaker', 'budget'] as const) {
    const logic = logics[name];
    if (!logic) continue;
    let restore =
      name === 'budget' ? toBudgetSnapshot(options.restore?.budget) : options.restore?.[name];
    children.push({
      id: name,
      start: () => {
        // Restored once, at the runtime's start; a crash restarts the actor fresh (OTP).
        const snapshot = restore;
        restore = undefined;
        const systemId = RUNTIME_SYSTEM_IDS[name];
        return snapshot === undefined ? { logic, systemId } : { logic, snapshot, systemId };
      },
    });
  }
  return {
    id: 'system',
    type: 'supervisor',
    start: () => createSupervisor(SYSTEM_FLAGS, children),
  };
}
