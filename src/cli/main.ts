#!/usr/bin/env node
import { dispatch } from './dispatch.js';
import { EXIT_CODES } from './exit-codes.js';

/** The exit code after a signal stopped the command: 128 + the signal's number. */
const SIGNAL_EXIT = { SIGINT: EXIT_CODES.interrupted, SIGTERM: EXIT_CODES.terminated } as const;

const controller = new AbortController();
let stoppedBy: keyof typeof SIGNAL_EXIT | undefined;
// First signal: stop all work gracefully (summary and report still written), then exit
// 128 + signal; a second one: exit now (the process registry's exit handler still kills every
// CLI).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stoppedBy) process.exit(SIGNAL_EXIT[stoppedBy]);
    stoppedBy = signal;
    controller.abort(signal);
  });
}
const code = await dispatch(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = stoppedBy ? SIGNAL_EXIT[stoppedBy] : code;
