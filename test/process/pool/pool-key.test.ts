import { describe, expect, it } from 'vitest';
import { poolKey } from '../../../src/process/pool/pool-key.js';

const base = { executable: '/bin/claude', env: { B: '2', A: '1' }, onStdout: () => {} };

describe('poolKey', () => {
  it('ignores the per-query budget cap, so capped queries still find warm processes', () => {
    expect(poolKey({ ...base, args: ['-p', '--max-budget-usd', '0.5', '--verbose'] })).toBe(
      poolKey({ ...base, args: ['-p', '--max-budget-usd', '3', '--verbose'] }),
    );
  });

  it('tells configurations apart by argv, env and cwd, whatever the env order', () => {
    const key = poolKey({ ...base, args: ['-p'] });
    expect(poolKey({ ...base, env: { A: '1', B: '2' }, args: ['-p'] })).toBe(key);
    expect(poolKey({ ...base, args: ['-p', '--model', 'x'] })).not.toBe(key);
    expect(poolKey({ ...base, env: { A: '1' }, args: ['-p'] })).not.toBe(key);
    expect(poolKey({ ...base, args: ['-p'], cwd: '/tmp' })).not.toBe(key);
  });

  it('ignores the trace context each attempt gets, so traced queries still find warm processes', () => {
    const traced = {
      ...base.env,
      TRACEPARENT: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      TRACESTATE: 'vendor=x',
    };
    expect(poolKey({ ...base, env: traced, args: ['-p'] })).toBe(
      poolKey({ ...base, args: ['-p'] }),
    );
  });
});
