import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/cli/dispatch.js';
import { planCommandSpec } from '../../src/cli/plan-command.js';
import { queryCommandSpec } from '../../src/cli/query-command.js';
import { runCommandSpec } from '../../src/cli/run-command.js';
import { simulateCommandSpec } from '../../src/cli/simulate-command.js';
import { captureIo } from './capture.js';

describe('claude-actors (top level)', () => {
  it.each([
    '--help',
    '-h',
  ])('%s lists every subcommand with every flag and exits 0', async (flag) => {
    const { io, out, err } = captureIo();
    expect(await dispatch([flag], io)).toBe(0);
    expect(err()).toBe('');
    for (const spec of [runCommandSpec, planCommandSpec, queryCommandSpec, simulateCommandSpec]) {
      expect(out()).toContain(`claude-actors ${spec.name} `);
      for (const name of Object.keys(spec.flags)) expect(out()).toContain(`--${name}`);
    }
    expect(out()).toContain('130  interrupted by Ctrl-C');
  });

  it('without a command prints the help on stderr and exits 2', async () => {
    const { io, out, err } = captureIo();
    expect(await dispatch([], io)).toBe(2);
    expect(out()).toBe('');
    expect(err()).toContain('claude-actors run ');
  });

  it('an unknown command gets a did-you-mean and exit code 2', async () => {
    const { io, err } = captureIo();
    expect(await dispatch(['rn', 'plan.yaml'], io)).toBe(2);
    expect(err()).toContain('unknown command `rn` (did you mean `run`?)');
  });

  it("passes a subcommand its arguments: `run --help` is run's help", async () => {
    const { io, out } = captureIo();
    expect(await dispatch(['run', '--help'], io)).toBe(0);
    expect(out()).toMatch(/^Usage: claude-actors run /);
  });

  it('--version prints the package version', async () => {
    const { io, out } = captureIo();
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(await dispatch(['--version'], io)).toBe(0);
    expect(out()).toBe(`${pkg.version}\n`);
  });
});
