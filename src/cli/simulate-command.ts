import { readFile } from 'node:fs/promises';
import { InvalidOptionsError } from '../core/validation/invalid-options-error.js';
import { createSimulator } from '../testing/create-simulator.js';
import { loadSimulatorScript, type SimulatorScript } from '../testing/script-schema.js';
import type { SimReply } from '../testing/sim-reply.js';
import type { SimRequest } from '../testing/sim-request.js';
import type { Simulator } from '../testing/simulator.js';
import type { SimulatorOptions } from '../testing/simulator-options.js';
import { commandHelp } from './command-help.js';
import { CommandLineError } from './command-line-error.js';
import { type AnyCommandSpec, integerFlag, stringFlag } from './command-spec.js';
import { EXIT_CODES } from './exit-codes.js';
import { parseCommandLine } from './parse-command-line.js';
import { writeProblems } from './write-problems.js';

/** Upper bound of the delay flags: an hour. */
const MAX_DELAY_MS = 3_600_000;

/** Streams and signal the command works with; injected so tests need no real process. */
export interface SimulateCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Stops the server like SIGINT does. */
  signal?: AbortSignal;
}

/** The command line of `claude-actors simulate`: parsed from and documented by this one table. */
export const simulateCommandSpec = {
  name: 'simulate',
  operands: '',
  summary: 'Serve the simulated Anthropic Messages API for the real claude CLI, until Ctrl-C.',
  takesOperands: false,
  flags: {
    port: integerFlag('N', 'TCP port on 127.0.0.1 (default: a free port).', {
      min: 0,
      max: 65_535,
    }),
    script: stringFlag(
      'FILE',
      'JSON script with "rules" and "defaults" (see loadSimulatorScript).',
    ),
    ttft: integerFlag('MS', 'Time to first token of every reply (default 0).', {
      min: 0,
      max: MAX_DELAY_MS,
    }),
    'chunk-delay': integerFlag('MS', 'Delay between streamed chunks (default 0).', {
      min: 0,
      max: MAX_DELAY_MS,
    }),
  },
} as const satisfies AnyCommandSpec;

class UsageError extends Error {}

async function loadScript(path: string): Promise<SimulatorScript> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read --script "${path}": ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--script "${path}" is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return loadSimulatorScript(json);
  } catch (error) {
    if (error instanceof InvalidOptionsError) {
      throw new UsageError(`--script "${path}": ${error.message}`);
    }
    throw error;
  }
}

async function parseOptions(args: string[]): Promise<SimulatorOptions | 'help'> {
  const { values, help } = parseCommandLine(simulateCommandSpec, args);
  if (help) return 'help';
  // The cheap flags are validated by the parser, before any file is read.
  const script = values.script === undefined ? undefined : await loadScript(values.script);
  const options: SimulatorOptions = { ...script?.defaults, rules: script?.rules ?? [] };
  if (values.port !== undefined) options.port = values.port;
  if (values.ttft !== undefined) options.ttftMs = values.ttft;
  if (values['chunk-delay'] !== undefined) options.chunkDelayMs = values['chunk-delay'];
  return options;
}

function describeReply(reply: SimReply): string {
  switch (reply.kind) {
    case 'text':
      return `text (${reply.text.length} chars)`;
    case 'tool_use':
      return `tool_use ${reply.name}`;
    case 'error':
      return `error ${reply.status}${reply.errorType ? ` ${reply.errorType}` : ''}`;
    case 'cut':
      return `cut after ${reply.afterChunks ?? 1} chunk(s)`;
    case 'hang':
      return reply.afterHeaders ? 'hang after headers' : 'hang';
  }
}

/**
 * One log line for a request, e.g.
 * `19:40:01.123 POST /v1/messages?beta=true claude-opus-5-5 stream "say hi" -> text (22 chars)`.
 */
export function formatRequestLine(request: SimRequest, reply: SimReply): string {
  const time = new Date(request.at).toISOString().slice(11, 23);
  const prompt = request.prompt.length > 60 ? `${request.prompt.slice(0, 57)}...` : request.prompt;
  const tools = request.hasToolResult ? ` +${request.toolResults.length} tool result(s)` : '';
  const mode = request.stream ? 'stream' : 'json';
  return (
    `${time} ${request.method} ${request.path} ${request.model} ${mode} ` +
    `${JSON.stringify(prompt)}${tools} -> ${describeReply(reply)}`
  );
}

function waitForStop(signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    const finish = (reason: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      signal?.removeEventListener('abort', onAbort);
      resolve(reason);
    };
    const onInt = (): void => finish('SIGINT');
    const onTerm = (): void => finish('SIGTERM');
    const onAbort = (): void => finish('abort');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (signal?.aborted) finish('abort');
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `claude-actors simulate [--port N] [--script file.json] [--ttft MS] [--chunk-delay MS]`:
 * runs the Messages API simulator until SIGINT, SIGTERM or `io.signal`, printing its URL, the
 * `export` lines that point `claude` at it, and one line per request.
 *
 * @returns `0` after a clean stop (or `--help`), `2` for bad flags, a bad script or a port that
 * cannot be bound (the message names the flag or field and the value). The command line exits
 * 130 / 143 when SIGINT / SIGTERM stopped it, like every subcommand.
 * @example
 * process.exitCode = await simulateCommand(process.argv.slice(3), process);
 */
export async function simulateCommand(args: string[], io: SimulateCommandIo): Promise<number> {
  let options: SimulatorOptions | 'help';
  try {
    options = await parseOptions(args);
  } catch (error) {
    if (error instanceof CommandLineError) {
      return writeProblems(io.stderr, error.problems, simulateCommandSpec);
    }
    if (!(error instanceof UsageError)) throw error;
    return writeProblems(io.stderr, [error.message], simulateCommandSpec);
  }
  if (options === 'help') {
    io.stdout.write(commandHelp(simulateCommandSpec));
    return EXIT_CODES.ok;
  }
  let simulator: Simulator;
  try {
    simulator = await createSimulator({
      ...options,
      onRequest: (request, reply) => io.stdout.write(`${formatRequestLine(request, reply)}\n`),
    });
  } catch (error) {
    io.stderr.write(`claude-actors simulate: ${(error as Error).message}\n`);
    return 2;
  }
  const exports = Object.entries(simulator.env())
    .map(([name, value]) => `  export ${name}=${value}\n`)
    .join('');
  io.stdout.write(
    `Claude API simulator listening on ${simulator.url}\n` +
      'Point the claude CLI at it (a throwaway HOME keeps your own settings clean):\n' +
      `${exports}Press Ctrl+C to stop.\n`,
  );
  const reason = await waitForStop(io.signal);
  await simulator.close();
  io.stdout.write(`Simulator stopped (${reason}) after ${simulator.requests.length} request(s).\n`);
  return 0;
}
