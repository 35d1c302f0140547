import type { AnyCommandSpec, FlagSpec } from './command-spec.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

const HELP_FLAG: FlagSpec = {
  kind: 'boolean',
  short: 'h',
  description: 'Show this help and exit.',
};

/** `  -o, --output DIR` and its description, one line per flag, aligned. */
function flagLines(spec: AnyCommandSpec, indent: string): string[] {
  const rows = [...Object.entries(spec.flags), ['help', HELP_FLAG] as const].map(([name, flag]) => {
    const short = flag.short ? `-${flag.short}, ` : '    ';
    const value =
      flag.kind === 'boolean'
        ? ''
        : flag.kind === 'optional-value'
          ? `[=${flag.placeholder}]`
          : ` ${flag.placeholder}`;
    return [`${short}--${name}${value}`, flag.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, text]) => `${indent}${left.padEnd(width)}  ${text}`);
}

/** `claude-actors run <plan…> [flags]`. */
export function usageLine(spec: AnyCommandSpec): string {
  return `claude-actors ${spec.name}${spec.operands ? ` ${spec.operands}` : ''} [flags]`;
}

/**
 * The help of one subcommand, from its flag table: usage, what it does, every flag, the exit
 * codes.
 */
export function commandHelp(spec: AnyCommandSpec): string {
  return [
    `Usage: ${usageLine(spec)}`,
    '',
    spec.summary,
    '',
    'Flags:',
    ...flagLines(spec, '  '),
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}

/** The top-level help: every subcommand with every flag, from the same tables, and exit codes. */
export function mainHelp(specs: readonly AnyCommandSpec[]): string {
  return [
    'claude-actors: Claude Code queries as supervised actors',
    '',
    'Offline against a built-in simulated Anthropic API unless --live.',
    '',
    'Usage:',
    ...specs.flatMap((spec) => [
      `  ${usageLine(spec)}`,
      `      ${spec.summary}`,
      ...flagLines(spec, '      '),
      '',
    ]),
    '  claude-actors --version | -v',
    '      Print the version.',
    '  claude-actors --help | -h',
    "      Print this help. `claude-actors <command> --help` prints one command's help.",
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}
