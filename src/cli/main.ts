#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import type { CommandIo } from './command-io.js';
import { planCommand } from './plan-command.js';
import { queryCommand } from './query-command.js';
import { runCommand } from './run-command.js';
import { simulateCommand } from './simulate-command.js';

const USAGE = `claude-actors: Claude Code queries as supervised actors

Offline against a built-in simulated Anthropic API unless --live.

Usage:
  claude-actors run <plan.json|plan.yaml | prompt files...> [--max-parallel N] [--live] [--json] [--output DIR]
      Run a task plan (or one task per prompt file) with a live display and a summary.
  claude-actors plan "<requirements>" [-o plan.json] [--workers M] [--live]
      Ask Claude for a task plan.
  claude-actors query "<prompt>" [--live] [--model M] [--max-turns N] [--json]
      Run one query and stream its text (offline simulator unless --live).
  claude-actors simulate [--port N] [--script file.json] [--ttft MS] [--chunk-delay MS]
      Serve the simulated Anthropic Messages API for the real claude CLI.
  claude-actors --version | --help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const controller = new AbortController();
  // First Ctrl-C: cancel gracefully (summary and report still written); second: exit now
  // (the exit handler still stops every CLI).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort(signal);
    });
  }
  const io: CommandIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  };
  switch (command) {
    case 'run':
      return runCommand(rest, io);
    case 'plan':
      return planCommand(rest, io);
    case 'query':
      return queryCommand(rest, io);
    case 'simulate':
      return simulateCommand(rest, io);
    case '--version':
    case '-v': {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`claude-actors: unknown command \`${command}\`\n\n${USAGE}`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
