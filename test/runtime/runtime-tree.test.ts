import { describe, expect, it } from 'vitest';
import { type AnyActorLogic, fromCallback } from 'xstate';
import { poolActorLogic } from '../../src/process/pool/pool-actor.js';
import { parseRuntimeOptions, type RuntimeOptions } from '../../src/runtime/runtime-options.js';
import {
  RUNTIME_SYSTEM_IDS,
  type RuntimeTreeParts,
  runtimeTree,
} from '../../src/runtime/runtime-tree.js';
import type { ChildSpec, StartResult, SupervisorFlags } from '../../src/supervisors/types.js';

const worker: ChildSpec = {
  id: 'query',
  restart: 'transient',
  start: () => fromCallback(() => {}),
};
const parts: RuntimeTreeParts = { queryWorker: worker };
const poolParts: RuntimeTreeParts = {
  queryWorker: worker,
  pool: { options: { size: 1 }, onPool: () => {} },
};

const treeOf = (options: RuntimeOptions, with_: RuntimeTreeParts = parts) =>
  runtimeTree(parseRuntimeOptions(options), with_);

/** A started child's logic, input, snapshot and systemId (what `start` returned). */
function started(spec: ChildSpec | undefined): {
  logic: AnyActorLogic;
  input?: unknown;
  snapshot?: unknown;
  systemId?: string;
} {
  if (!spec) throw new Error('no such child');
  const result: StartResult = spec.start();
  if (result === 'ignore') throw new Error(`${spec.id} ignored its start`);
  return 'logic' in result && !('transition' in result)
    ? result
    : { logic: result as AnyActorLogic };
}

/** The flags and children of a supervisor child (the `config` of `createSupervisor`'s logic). */
function supervisorOf(spec: ChildSpec | undefined): {
  flags: SupervisorFlags;
  specs: readonly ChildSpec[];
} {
  return (started(spec).logic as { config: { flags: SupervisorFlags; specs: ChildSpec[] } }).config;
}

const child = (children: readonly ChildSpec[], id: string) => children.find((c) => c.id === id);

describe('runtimeTree', () => {
  it('starts system, queries and sessions under a one_for_one root with the root limits', () => {
    const tree = treeOf({ root: { intensity: 7, period: 2 } });
    expect(tree.flags).toEqual({ strategy: 'one_for_one', intensity: 7, period: 2 });
    expect(tree.children.map((c) => [c.id, c.type ?? 'worker'])).toEqual([
      ['system', 'supervisor'],
      ['queries', 'supervisor'],
      ['sessions', 'supervisor'],
    ]);
    // Every root child is permanent (the default): the root restarts any that ends.
    expect(tree.children.every((c) => c.restart === undefined)).toBe(true);
  });

  it('uses the default root limits (3 restarts in 5 s)', () => {
    expect(treeOf({}).flags).toEqual({ strategy: 'one_for_one', intensity: 3, period: 5 });
  });

  it('puts the pool between system and queries when asked for one', () => {
    const tree = treeOf({ pool: { size: 1 } }, poolParts);
    expect(tree.children.map((c) => c.id)).toEqual(['system', 'pool', 'queries', 'sessions']);
    const pool = started(child(tree.children, 'pool'));
    expect(pool.logic).toBe(poolActorLogic);
    expect(pool.input).toBe(poolParts.pool);
    expect(pool.systemId).toBe(RUNTIME_SYSTEM_IDS.pool);
  });

  it('leaves the pool out without the option, even when its parts are given', () => {
    expect(treeOf({}, poolParts).children.map((c) => c.id)).not.toContain('pool');
  });

  it('refuses a pool option without the pool actor input', () => {
    expect(() => treeOf({ pool: { size: 1 } })).toThrow(/pool/);
  });

  it('makes queries a simple_one_for_one supervisor of the query worker, with the queries limits', () => {
    const queries = child(treeOf({ queries: { intensity: 9, period: 30 } }).children, 'queries');
    const { flags, specs } = supervisorOf(queries);
    expect(flags).toEqual({ strategy: 'simple_one_for_one', intensity: 9, period: 30 });
    expect(specs).toEqual([worker]);
    expect(started(queries).systemId).toBe(RUNTIME_SYSTEM_IDS.queries);
  });

  it('makes sessions an empty one_for_one supervisor with the queries limits', () => {
    const sessions = child(treeOf({ queries: { intensity: 4, period: 8 } }).children, 'sessions');
    const { flags, specs } = supervisorOf(sessions);
    expect(flags).toEqual({ strategy: 'one_for_one', intensity: 4, period: 8 });
    expect(specs).toEqual([]);
    expect(started(sessions).systemId).toBe(RUNTIME_SYSTEM_IDS.sessions);
  });

  it('gives the system supervisor the limiter, breaker and budget, in that order, permanent', () => {
    const { flags, specs } = supervisorOf(child(treeOf({}).children, 'system'));
    expect(flags).toEqual({ strategy: 'one_for_one', intensity: 5, period: 10 });
    expect(specs.map((s) => [s.id, s.restart ?? 'permanent'])).toEqual([
      ['limiter', 'permanent'],
      ['breaker', 'permanent'],
      ['budget', 'permanent'],
    ]);
    for (const spec of specs) {
      const id = spec.id as 'limiter' | 'breaker' | 'budget';
      expect(started(spec).systemId).toBe(RUNTIME_SYSTEM_IDS[id]);
    }
  });

  it.each([
    [{ limiter: false }, ['breaker', 'budget']],
    [{ breaker: false }, ['limiter', 'budget']],
    [{ budget: false }, ['limiter', 'breaker']],
    [{ limiter: false, breaker: false, budget: false }, []],
  ] as const)('leaves out a system actor turned off: %j', (options, ids) => {
    const { specs } = supervisorOf(child(treeOf(options).children, 'system'));
    expect(specs.map((s) => s.id)).toEqual(ids);
  });

  it('restores a system actor from the snapshot once: a restart starts it fresh', () => {
    const restore = { limiter: { saved: 'limiter' }, budget: { saved: 'budget' } };
    const { specs } = supervisorOf(child(treeOf({ restore }).children, 'system'));
    const [limiter, breaker, budget] = specs;
    expect(started(limiter).snapshot).toEqual({ saved: 'limiter' });
    expect(started(limiter).snapshot).toBeUndefined();
    expect(started(breaker).snapshot).toBeUndefined();
    expect(started(budget).snapshot).toEqual({ saved: 'budget' });
    expect(started(budget).snapshot).toBeUndefined();
  });

  it('validates the system actors’ options while building, naming the bad one', () => {
    expect(() => treeOf({ limiter: { maxConcurrent: -1 } })).toThrow(/maxConcurrent/);
  });
});
