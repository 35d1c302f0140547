import { describe, expect, it } from 'vitest';
import { commandHelp, mainHelp } from '../../src/cli/command-help.js';
import type { AnyCommandSpec } from '../../src/cli/command-spec.js';
import { planCommand, planCommandSpec } from '../../src/cli/plan-command.js';
import { queryCommand, queryCommandSpec } from '../../src/cli/query-command.js';
import { runCommand, runCommandSpec } from '../../src/cli/run-command.js';
import { simulateCommand, simulateCommandSpec } from '../../src/cli/simulate-command.js';
import { captureIo } from './capture.js';

const commands: [AnyCommandSpec, typeof runCommand][] = [
  [runCommandSpec, runCommand],
  [planCommandSpec, planCommand],
  [queryCommandSpec, queryCommand],
  [simulateCommandSpec, simulateCommand],
];

const EXIT_CODES = ['0', '1', '2', '130', '143'];

describe.each(commands)('claude-actors $name --help', (spec, command) => {
  it.each(['--help', '-h'])('%s prints the usage with every flag and exits 0', async (flag) => {
    const { io, out, err } = captureIo();
    expect(await command([flag], io)).toBe(0);
    expect(err()).toBe('');
    expect(out()).toContain(`Usage: claude-actors ${spec.name}`);
    for (const [name, f] of Object.entries(spec.flags)) {
      const value =
        f.kind === 'boolean'
          ? ''
          : f.kind === 'optional-value'
            ? `[=${f.placeholder}]`
            : ` ${f.placeholder}`;
      expect(out()).toContain(`--${name}${value}`);
      expect(out()).toContain(f.description);
      if (f.short) expect(out()).toContain(`-${f.short}, --${name}`);
    }
    for (const code of EXIT_CODES) expect(out()).toMatch(new RegExp(`^  ${code} `, 'm'));
  });

  it('an unknown flag gets a did-you-mean among its own flags and exit code 2', async () => {
    const [first] = Object.keys(spec.flags);
    const typo = `${first!.slice(0, -1)}x`;
    const { io, out, err } = captureIo();
    expect(await command([`--${typo}`], io)).toBe(2);
    expect(err()).toContain(`unknown flag '--${typo}' (did you mean --${first}?)`);
    expect(err()).toContain(`Usage: claude-actors ${spec.name}`);
    expect(out()).toBe('');
  });
});

describe('the top-level help', () => {
  it('lists every subcommand with every flag, and the exit codes', () => {
    const help = mainHelp(commands.map(([spec]) => spec));
    const sections = help.split(/\n(?= {2}claude-actors )/);
    for (const [spec] of commands) {
      const section = sections.find((s) => s.startsWith(`  claude-actors ${spec.name} `));
      expect(section).toBeDefined();
      for (const name of Object.keys(spec.flags)) expect(section).toContain(`--${name}`);
      expect(section).toContain('-h, --help');
    }
    for (const code of EXIT_CODES) expect(help).toMatch(new RegExp(`^  ${code} `, 'm'));
  });

  it('is one command help per table: the same flag lines', () => {
    const help = mainHelp([runCommandSpec]);
    const lines = commandHelp(runCommandSpec)
      .split('\n')
      .filter((line) => line.trimStart().startsWith('-'));
    for (const line of lines) expect(help).toContain(line.trim());
  });
});
