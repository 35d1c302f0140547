import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQueryOptions } from '../../src/options/parse-options.js';
import { toCliArgs } from '../../src/options/to-cli-args.js';
import { createSimulatedEnvironment } from '../../src/simulator/create-simulated-environment.js';

describe('createSimulatedEnvironment', () => {
  it('points the CLI at the simulator with a throw-away HOME and loads no setting files', async () => {
    const sim = await createSimulatedEnvironment();
    try {
      const options = parseQueryOptions(sim.options);
      expect(options.env?.ANTHROPIC_BASE_URL).toBe(sim.simulator.url);
      expect(options.env?.HOME).toBe(sim.home);
      expect(existsSync(sim.home)).toBe(true);
      // A project's .claude/settings.json could otherwise redirect a simulated query.
      const args = toCliArgs(options);
      expect(args[args.indexOf('--setting-sources') + 1]).toBe('');
    } finally {
      await sim.close();
    }
    expect(existsSync(sim.home)).toBe(false);
  });
});
