import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQueryOptions } from '../../src/machines/query/options/parse-options.js';
import { toCliArgs } from '../../src/machines/query/options/to-cli-args.js';
import { createSimulatedEnvironment } from '../../src/testing/create-simulated-environment.js';

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

  it('uses a given HOME, creating it, and keeps it (a later process resumes its sessions)', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sim-home-'));
    const home = join(parent, 'nested', 'home');
    try {
      const sim = await createSimulatedEnvironment({ home });
      expect(sim.home).toBe(home);
      expect(parseQueryOptions(sim.options).env?.HOME).toBe(home);
      expect(existsSync(home)).toBe(true);
      await sim.close();
      expect(existsSync(home)).toBe(true);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('removes its HOME while a CLI that outlived its query still writes there', async () => {
    const sim = await createSimulatedEnvironment();
    // As the CLI does after a result: keeps writing to ~/.claude for a moment, then exits.
    const writer = spawn(process.execPath, [
      '-e',
      `const fs = require('node:fs'); const dir = process.argv[1] + '/.claude/projects';
       fs.mkdirSync(dir, { recursive: true });
       const end = Date.now() + 300; let i = 0;
       while (Date.now() < end) fs.writeFileSync(dir + '/f' + (i++ % 50), 'x');`,
      sim.home,
    ]);
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    // Once it writes (a real process: its start takes a while).
    while (!existsSync(`${sim.home}/.claude/projects/f1`)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await sim.close();
    await exited;
    expect(existsSync(sim.home)).toBe(false);
  });
});
