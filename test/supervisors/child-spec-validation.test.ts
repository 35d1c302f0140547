import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSupervisor } from '../../src/supervisors/create-supervisor.js';
import { InvalidChildSpecError } from '../../src/supervisors/errors/invalid-child-spec-error.js';
import type { ChildSpec, SupervisorFlags } from '../../src/supervisors/types.js';
import { settle, spec, startSupervisor } from './fixtures/harness.js';
import { worker } from './fixtures/worker.js';

const start = () => worker;

function rejection(run: () => unknown): InvalidChildSpecError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidChildSpecError);
    return error as InvalidChildSpecError;
  }
  throw new Error('expected an InvalidChildSpecError, nothing was thrown');
}

describe('child spec and flag validation', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each<[string, string, SupervisorFlags, unknown[], string | undefined]>([
    ['a spec that is not an object', 'invalid_child_spec', {}, [42], undefined],
    [
      'a significant permanent child before a bad type and shutdown (OTP precedence)',
      'significant_permanent',
      { autoShutdown: 'any_significant' },
      [{ id: 'a', start, significant: true, type: 'thread', shutdown: -1 }],
      'a',
    ],
    [
      'a significant child under never before a bad shutdown (OTP precedence)',
      'significant_without_auto_shutdown',
      {},
      [{ id: 'a', start, restart: 'transient', significant: true, shutdown: -1 }],
      'a',
    ],
    [
      'a simple_one_for_one with two specs, before checking them (bad_start_spec)',
      'bad_start_spec',
      { strategy: 'simple_one_for_one' },
      [{ id: 'a' }, 42],
      undefined,
    ],
    ['a null spec', 'invalid_child_spec', {}, [null], undefined],
    [
      'auto_shutdown with simple_one_for_one',
      'bad_combination',
      { strategy: 'simple_one_for_one', autoShutdown: 'any_significant' },
      [{ id: 'a', start, restart: 'transient' }],
      undefined,
    ],
    ['a spec without id', 'missing_id', {}, [{ start }], undefined],
    ['a spec without start', 'missing_start', {}, [{ id: 'a' }], 'a'],
    [
      'an unknown restart type',
      'invalid_restart_type',
      {},
      [{ id: 'a', start, restart: 'x' }],
      'a',
    ],
    ['a negative shutdown', 'invalid_shutdown', {}, [{ id: 'a', start, shutdown: -1 }], 'a'],
    ['a non-numeric shutdown', 'invalid_shutdown', {}, [{ id: 'a', start, shutdown: 'soon' }], 'a'],
    // Past the longest timer Node honours: the kill would come after 1 ms, not in 31 years.
    [
      'a shutdown past 2^31-1 ms',
      'invalid_shutdown',
      {},
      [{ id: 'a', start, shutdown: 1e12 }],
      'a',
    ],
    ['an unknown child type', 'invalid_child_type', {}, [{ id: 'a', start, type: 'thread' }], 'a'],
    [
      'a non-boolean significant',
      'invalid_significant',
      { autoShutdown: 'any_significant' },
      [{ id: 'a', start, restart: 'transient', significant: 'yes' }],
      'a',
    ],
    ['a duplicate id', 'duplicate_child_name', {}, [spec('a'), spec('b'), spec('a')], 'a'],
    [
      'a significant permanent child',
      'significant_permanent',
      { autoShutdown: 'any_significant' },
      [{ id: 'a', start, significant: true }],
      'a',
    ],
    [
      'a significant child under auto_shutdown never',
      'significant_without_auto_shutdown',
      {},
      [{ id: 'a', start, restart: 'transient', significant: true }],
      'a',
    ],
  ])('rejects %s with reason %s', (_, reason, flags, specs, childId) => {
    const error = rejection(() => createSupervisor(flags, specs as ChildSpec[]));
    expect(error.code).toBe('INVALID_CHILD_SPEC');
    expect(error.reason).toBe(reason);
    if (childId !== undefined) {
      expect(error.childId).toBe(childId);
      expect(error.message).toContain(childId);
    }
  });

  it.each<[string, string, unknown]>([
    ['a negative intensity', 'invalid_intensity', { intensity: -1 }],
    ['a fractional intensity', 'invalid_intensity', { intensity: 1.5 }],
    ['a zero period', 'invalid_period', { period: 0 }],
    ['a negative period', 'invalid_period', { period: -5 }],
    ['an unknown strategy', 'invalid_strategy', { strategy: 'one_for_some' }],
    ['an unknown auto_shutdown', 'invalid_auto_shutdown', { autoShutdown: 'sometimes' }],
    ['a backoff past 2^31-1 ms', 'invalid_backoff', { backoff: { minMs: 1, maxMs: 1e12 } }],
    [
      'a backoff reset past 2^31-1 ms',
      'invalid_backoff',
      { backoff: { minMs: 1, maxMs: 10, resetAfterMs: 2 ** 31 } },
    ],
  ])('rejects flags with %s (%s)', (_, reason, flags) => {
    const error = rejection(() => createSupervisor(flags as SupervisorFlags, [spec('a')]));
    expect(error.reason).toBe(reason);
    expect(error.value).toBeDefined();
  });

  it.each([0, 2])('rejects simple_one_for_one with %i specs', (count) => {
    const specs = Array.from({ length: count }, (_, i) => spec(`w${i}`));
    const error = rejection(() => createSupervisor({ strategy: 'simple_one_for_one' }, specs));
    expect(error.reason).toBe('bad_start_spec');
  });

  it.each<[string, Partial<ChildSpec>]>([
    ['defaults', {}],
    ['brutal_kill', { shutdown: 'brutal_kill' }],
    ['infinity', { shutdown: 'infinity' }],
    ['a timeout', { shutdown: 1 }],
    ['a supervisor type', { type: 'supervisor' }],
    ['every restart type', { restart: 'temporary' }],
  ])('accepts a spec with %s', (_, extra) => {
    expect(() => createSupervisor({}, [spec('a', extra)])).not.toThrow();
  });

  it('accepts default flags and significant transient or temporary children', () => {
    expect(() =>
      createSupervisor({ autoShutdown: 'all_significant' }, [
        spec('a', { restart: 'transient', significant: true }),
        spec('b', { restart: 'temporary', significant: true }),
      ]),
    ).not.toThrow();
  });

  it('rejects a significant child started dynamically under auto_shutdown never', async () => {
    const { client } = startSupervisor({}, []);
    await settle();
    const result = await client.startChild(spec('s', { restart: 'transient', significant: true }));
    expect(result.ok).toBe(false);
    expect(client.whichChildren()).toEqual([]);
  });

  it('rejects a spec started dynamically with a duplicate of a running id', async () => {
    const { client } = startSupervisor({}, [spec('a')]);
    await settle();
    const result = await client.startChild(spec('a'));
    expect(result.ok ? undefined : result.error.kind).toBe('already_started');
  });
});
