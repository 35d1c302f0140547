#!/usr/bin/env node
import { dispatch, SIGNAL_ENDED_COMMANDS } from './dispatch.js';
import { EXIT_CODES } from './exit-codes.js';

/** The exit code after a signal stopped the command: 128 + the signal's number. */
const SIGNAL_EXIT = { SIGINT: EXIT_CODES.interrupted, SIGTERM: EXIT_CODES.terminated } as const;

/**
 * A second signal this soon after the first is the same Ctrl-C delivered twice: the terminal
 * signals the whole foreground group, and a wrapper in it (`tsx`, `npm start`) relays its own
 * copy a few ms later. Only a signal after this window means "exit now".
 */
const SAME_SIGNAL_WINDOW_MS = 500;

const controller = new AbortController();
let stoppedBy: keyof typeof SIGNAL_EXIT | undefined;
let stoppedAt = 0;
// First signal: stop all work gracefully (summary and report still written), then exit
// 128 + signal; a second one: exit now (the process registry's exit handler still kills every
// CLI).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stoppedBy) {
      if (Date.now() - stoppedAt < SAME_SIGNAL_WINDOW_MS) return;
      process.exit(SIGNAL_EXIT[stoppedBy]);
    }
    stoppedBy = signal;
    stoppedAt = Date.now();
    controller.abort(signal);
  });
}
const argv = process.argv.slice(2);
const code = await dispatch(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode =
  stoppedBy && !SIGNAL_ENDED_COMMANDS.has(argv[0] ?? '') ? SIGNAL_EXIT[stoppedBy] : code;
