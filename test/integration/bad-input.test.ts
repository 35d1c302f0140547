import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { liveProcesses } from '../../src/process/registry/process-registry.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

describe('bad input (real CLI against the simulator)', () => {
  it('refuses runtime.query(42) before spawning, keeps working, and stops', async () => {
    const runtime = createRuntime({ defaults: { ...sim.env.options, retry: { maxAttempts: 1 } } });
    sim.env.simulator.on('still fine', { kind: 'text', text: 'fine' });
    expect(() => runtime.query(42 as never)).toThrow(InvalidOptionsError);
    expect(() => runtime.query(42 as never)).toThrow(
      'Invalid argument `prompt`: expected a non-empty string or a non-empty array of content blocks, got `42` (number)',
    );
    expect(runtime.running()).toEqual([]);
    expect(liveProcesses()).toEqual([]);
    // The one real CLI of this test, to show the runtime is unharmed.
    await expect(runtime.query('still fine').result).resolves.toMatchObject({
      status: 'succeeded',
      text: 'fine',
    });
    await runtime.stop({ deadlineMs: 5_000 });
    expect(liveProcesses()).toEqual([]);
    expect(sim.env.simulator.requests).toHaveLength(1);
  });
});
