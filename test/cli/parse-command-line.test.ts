import { describe, expect, it } from 'vitest';
import { commandHelp } from '../../src/cli/command-help.js';
import { CommandLineError } from '../../src/cli/command-line-error.js';
import {
  booleanFlag,
  integerFlag,
  optionalIntegerFlag,
  optionalStringFlag,
  stringFlag,
} from '../../src/cli/command-spec.js';
import { parseCommandLine } from '../../src/cli/parse-command-line.js';
import { didYouMean } from '../../src/core/validation/did-you-mean.js';

const spec = {
  name: 'demo',
  operands: '<file>',
  summary: 'A demo.',
  takesOperands: true,
  flags: {
    'max-parallel': integerFlag('N', 'Parallel.', { min: 1, short: 'p' }),
    port: integerFlag('N', 'Port.', { min: 0, max: 65_535 }),
    live: booleanFlag('Live.'),
    output: stringFlag('DIR', 'Out.', 'o'),
    resume: optionalStringFlag('RUN_ID', 'Resume.'),
  },
} as const;

function problemsOf(args: string[]): readonly string[] {
  try {
    parseCommandLine(spec, args);
  } catch (error) {
    if (error instanceof CommandLineError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseCommandLine', () => {
  it('parses flags from the table into typed values and keeps operands', () => {
    const parsed = parseCommandLine(spec, ['a.yaml', '-p', '3', '--live', '--output=out', 'b']);
    expect(parsed.values).toEqual({ 'max-parallel': 3, live: true, output: 'out' });
    expect(parsed.operands).toEqual(['a.yaml', 'b']);
    expect(parsed.help).toBe(false);
  });

  it.each([
    [['--max-parallel', 'abc'], '--max-parallel: expected a positive integer, got "abc"'],
    [['-p', '0'], '--max-parallel: expected a positive integer, got "0"'],
    [['-p', '1.5'], '--max-parallel: expected a positive integer, got "1.5"'],
    [['--port', '70000'], '--port: expected an integer from 0 to 65535, got "70000"'],
    [['--port=-1'], '--port: expected an integer from 0 to 65535, got "-1"'],
    [['--output'], '--output: expected a value (DIR), got nothing'],
    [['--output='], '--output: expected DIR, got ""'],
    [['-o', ' '], '--output: expected DIR, got " "'],
    [['--live=yes'], '--live: takes no value, got "yes"'],
    [['--resume='], '--resume: expected RUN_ID after `=`, got ""'],
    [
      ['--max-paralel', '2'],
      "unknown flag '--max-paralel' (did you mean --max-parallel?) for `demo`",
    ],
    [['--colour'], "unknown flag '--colour' for `demo`"],
    [['-x'], "unknown flag '-x' for `demo`"],
  ])('rejects %j: %s', (args, problem) => {
    expect(problemsOf(args)).toEqual([problem]);
  });

  it('takes an optional value inline only: the next argument stays an operand', () => {
    expect(parseCommandLine(spec, ['--resume', 'plan.yaml'])).toMatchObject({
      values: { resume: true },
      operands: ['plan.yaml'],
    });
    expect(parseCommandLine(spec, ['plan.yaml', '--resume=run-1']).values).toEqual({
      resume: 'run-1',
    });
  });

  it.each([
    '--toString',
    '--toString=x',
    '--hasOwnProperty=1',
    '--constructor',
    '--__proto__',
    '--__proto__=x',
    '--valueOf',
  ])('rejects %s, a property of every object, as an unknown flag', (arg) => {
    const name = arg.split('=')[0];
    expect(problemsOf([arg])).toEqual([`unknown flag '${name}' for \`demo\``]);
  });

  it('keeps values free of inherited properties', () => {
    const { values } = parseCommandLine(spec, ['--live']);
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect('toString' in values).toBe(false);
  });

  it('reports an option-like value as ambiguous instead of taking it', () => {
    expect(problemsOf(['--port', '-5'])[0]).toMatch(/^--port: argument is ambiguous.*--port=-5/);
  });

  it('reports every problem at once, in command-line order', () => {
    expect(problemsOf(['--liv', '-p', 'x', '--port', '99999', '--output', '--live'])).toEqual([
      "unknown flag '--liv' (did you mean --live?) for `demo`",
      '--max-parallel: expected a positive integer, got "x"',
      '--port: expected an integer from 0 to 65535, got "99999"',
      expect.stringContaining('--output: argument is ambiguous'),
    ]);
  });

  it('rejects operands when the command takes none', () => {
    const none = { ...spec, takesOperands: false };
    expect(() => parseCommandLine(none, ['extra'])).toThrow("unexpected argument 'extra'");
  });

  it('accepts -h and --help on every command, even with other problems', () => {
    expect(parseCommandLine(spec, ['-h']).help).toBe(true);
    expect(parseCommandLine(spec, ['--bogus', '--help']).help).toBe(true);
  });
});

describe('didYouMean', () => {
  it.each([
    ['max-paralel', 'max-parallel'],
    ['LIVE', 'live'],
    ['out', 'output'],
    ['ouptut', 'output'],
    ['colour', undefined],
    ['js', undefined],
    ['x', undefined],
  ])('suggests for %s: %s', (word, expected) => {
    expect(didYouMean(word, ['max-parallel', 'live', 'output', 'json'])).toBe(expected);
  });
});

describe('a flag whose value may be left out (--dashboard[=PORT])', () => {
  const optional = {
    name: 'demo',
    operands: '<file>',
    summary: 'A demo.',
    takesOperands: true,
    flags: {
      dashboard: optionalIntegerFlag('PORT', 'Dashboard.', { min: 0, max: 65_535 }),
    },
  } as const;
  const problems = (args: string[]): readonly string[] => {
    try {
      parseCommandLine(optional, args);
    } catch (error) {
      if (error instanceof CommandLineError) return error.problems;
      throw error;
    }
    return [];
  };

  it('is true alone, the number given inline, absent when not given', () => {
    expect(parseCommandLine(optional, ['p.yaml', '--dashboard']).values.dashboard).toBe(true);
    expect(parseCommandLine(optional, ['--dashboard=4800', 'p.yaml']).values.dashboard).toBe(4800);
    expect(parseCommandLine(optional, ['p.yaml']).values.dashboard).toBeUndefined();
  });

  it('leaves a separate argument to be an operand', () => {
    const parsed = parseCommandLine(optional, ['--dashboard', 'p.yaml']);
    expect(parsed.values.dashboard).toBe(true);
    expect(parsed.operands).toEqual(['p.yaml']);
  });

  it.each([
    ['--dashboard=http', '--dashboard: expected an integer from 0 to 65535, got "http"'],
    ['--dashboard=70000', '--dashboard: expected an integer from 0 to 65535, got "70000"'],
  ])('refuses %s naming the flag and the value', (arg, message) => {
    expect(problems([arg])).toEqual([message]);
  });

  it('shows its value as optional in the help', () => {
    expect(commandHelp(optional)).toMatch(/--dashboard\[=PORT\] +Dashboard\./);
  });
});
