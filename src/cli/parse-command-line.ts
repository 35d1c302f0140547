import { parseArgs } from 'node:util';
import { didYouMean } from '../core/validation/did-you-mean.js';
import { CommandLineError } from './command-line-error.js';
import type { CommandSpec, FlagSpec, FlagValues, IntegerRange } from './command-spec.js';

/** What {@link parseCommandLine} found. */
export interface ParsedCommandLine<Flags extends Readonly<Record<string, FlagSpec>>> {
  readonly values: FlagValues<Flags>;
  readonly operands: string[];
  /** `-h` / `--help` was given: print the help and exit 0, whatever else is wrong. */
  readonly help: boolean;
}

/** What an integer flag expects, in words. */
function integerExpectation(flag: IntegerRange): string {
  if (flag.max !== undefined) return `an integer from ${flag.min} to ${flag.max}`;
  if (flag.min === 1) return 'a positive integer';
  if (flag.min === 0) return 'a non-negative integer';
  return `an integer of at least ${flag.min}`;
}

function parseInteger(name: string, flag: IntegerRange, raw: string): number | string {
  const value = Number(raw);
  const ok =
    /^-?\d+$/.test(raw) &&
    Number.isSafeInteger(value) &&
    value >= flag.min &&
    (flag.max === undefined || value <= flag.max);
  return ok ? value : `--${name}: expected ${integerExpectation(flag)}, got ${JSON.stringify(raw)}`;
}

/**
 * Parses a subcommand's arguments against its flag table. Every problem is collected (unknown
 * flags with a did-you-mean among this subcommand's flags, missing or malformed values), so a
 * user fixes them all in one go. `-h`/`--help` is accepted by every subcommand.
 *
 * @throws {@link CommandLineError} with one line per problem, unless help was asked for.
 * @example
 * ```ts
 * const { values, operands } = parseCommandLine(querySpec, ['hi', '--max-turns', '3']);
 * values['max-turns']; // 3
 * ```
 */
export function parseCommandLine<Flags extends Readonly<Record<string, FlagSpec>>>(
  spec: CommandSpec<Flags>,
  args: readonly string[],
): ParsedCommandLine<Flags> {
  const flags: Readonly<Record<string, FlagSpec>> = spec.flags;
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, flag] of Object.entries(flags)) {
    options[name] = {
      // An optional value is inline only: as a boolean, node never takes the next argument.
      type: flag.kind === 'boolean' || flag.kind === 'optional-value' ? 'boolean' : 'string',
      ...(flag.short ? { short: flag.short } : {}),
    };
  }
  // Not strict: node stops at the first problem; every one is reported here instead.
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  // Null prototype: a flag name is only ever a key of its own, never `__proto__` & co.
  const values: Record<string, string | number | boolean> = Object.create(null);
  const operands: string[] = [];
  const problems: string[] = [];
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (spec.takesOperands) operands.push(token.value);
      else problems.push(`unexpected argument '${token.value}' (\`${spec.name}\` takes none)`);
      continue;
    }
    if (token.name === 'help') {
      help = true;
      continue;
    }
    // Own keys only: `--toString` or `--constructor` must not find Object.prototype's members.
    const flag = Object.hasOwn(flags, token.name) ? flags[token.name] : undefined;
    if (flag === undefined) {
      const long = token.rawName.startsWith('--');
      const suggestion = long ? didYouMean(token.name, [...Object.keys(flags), 'help']) : undefined;
      problems.push(
        `unknown flag '${token.rawName}'` +
          (suggestion ? ` (did you mean --${suggestion}?)` : '') +
          ` for \`${spec.name}\``,
      );
      continue;
    }
    if (flag.kind === 'boolean') {
      if (token.value !== undefined) {
        problems.push(`--${token.name}: takes no value, got ${JSON.stringify(token.value)}`);
      } else values[token.name] = true;
      continue;
    }
    if (flag.kind === 'optional-value') {
      if (token.value === undefined) values[token.name] = true;
      else if (flag.integer) {
        const parsed = parseInteger(token.name, flag.integer, token.value);
        if (typeof parsed === 'string') problems.push(parsed);
        else values[token.name] = parsed;
      } else if (token.value.trim() === '') {
        problems.push(
          `--${token.name}: expected ${flag.placeholder} after \`=\`, got ${JSON.stringify(token.value)}`,
        );
      } else values[token.name] = token.value;
      continue;
    }
    if (token.value === undefined) {
      problems.push(`--${token.name}: expected a value (${flag.placeholder}), got nothing`);
      continue;
    }
    if (!token.inlineValue && token.value.startsWith('-')) {
      problems.push(
        `--${token.name}: argument is ambiguous: the next argument ${JSON.stringify(token.value)} ` +
          `looks like a flag; write --${token.name}=${token.value} if it is the value`,
      );
      continue;
    }
    if (flag.kind === 'integer') {
      const parsed = parseInteger(token.name, flag, token.value);
      if (typeof parsed === 'string') problems.push(parsed);
      else values[token.name] = parsed;
      continue;
    }
    if (token.value.trim() === '') {
      problems.push(
        `--${token.name}: expected ${flag.placeholder}, got ${JSON.stringify(token.value)}`,
      );
      continue;
    }
    values[token.name] = token.value;
  }
  if (problems.length > 0 && !help) throw new CommandLineError(problems);
  return { values: values as FlagValues<Flags>, operands, help };
}
