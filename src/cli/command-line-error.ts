/**
 * The command line of a subcommand is wrong: every problem found, each a line naming the flag
 * and the value (`--max-turns: expected a positive integer, got "abc"`). Exit code 2.
 */
export class CommandLineError extends Error {
  /** Every problem, in command-line order. */
  readonly problems: readonly string[];

  /** @param problems - At least one problem, each one line. */
  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'CommandLineError';
    this.problems = problems;
  }
}
