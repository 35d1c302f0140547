/** The exit codes of every `claude-actors` subcommand. */
export const EXIT_CODES = {
  /** Everything asked for was done. */
  ok: 0,
  /** A task or query failed (or was cancelled); the summary says which. */
  failed: 1,
  /** Bad usage, an invalid plan or a failed preflight check: nothing was run or paid for. */
  usage: 2,
  /** Interrupted by Ctrl-C (SIGINT), after stopping all work: 128 + 2. */
  interrupted: 130,
  /** Terminated by SIGTERM, after stopping all work: 128 + 15. */
  terminated: 143,
} as const;

/** The exit-code table printed by every help text. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    a task or query failed or was cancelled (see the summary)
  2    bad usage, an invalid plan or a failed preflight check (nothing was run)
  130  interrupted by Ctrl-C (SIGINT), after stopping all work
  143  terminated by SIGTERM, after stopping all work
`;
