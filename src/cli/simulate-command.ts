import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { InvalidOptionsError } from '../errors/invalid-options-error.js';
import {
  createSimulator,
  loadSimulatorScript,
  type SimReply,
  type SimRequest,
  type Simulator,
  type SimulatorOptions,
  type SimulatorScript,
} from '../simulator/index.js';

/** Streams and signal the command works with; injected so tests need no real process. */
export interface SimulateCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Stops the server like SIGINT does. */
  signal?: AbortSignal;
}

const USAGE = `Usage: claude-actors simulate [--port N] [--script file.json] [--ttft MS] [--chunk-delay MS]

Runs a local Anthropic Messages API simulator that the claude CLI can use offline.
  --port N           TCP port on 127.0.0.1 (default: a free port)
  --script FILE      JSON script with "rules" and "defaults" (see loadSimulatorScript)
  --ttft MS          time to first token of every reply (default 0)
  --chunk-delay MS   delay between streamed chunks (default 0)
`;

/** Upper bound of the delay flags: an hour. */
const MAX_DELAY_MS = 3_600_000;

class UsageError extends Error {}

function integerFlag(flag: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value > max) {
    throw new UsageError(
      `Invalid value for --${flag}: expected an integer from 0 to ${max}, got "${raw}"`,
    );
  }
  return value;
}

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
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        script: { type: 'string' },
        ttft: { type: 'string' },
        'chunk-delay': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) return 'help';
  const flag = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  // Validate the cheap flags before reading any file.
  const port = integerFlag('port', flag('port'), 65_535);
  const ttftMs = integerFlag('ttft', flag('ttft'), MAX_DELAY_MS);
  const chunkDelayMs = integerFlag('chunk-delay', flag('chunk-delay'), MAX_DELAY_MS);
  const scriptPath = flag('script');
  const script = scriptPath === undefined ? undefined : await loadScript(scriptPath);
  const options: SimulatorOptions = { ...script?.defaults, rules: script?.rules ?? [] };
  if (port !== undefined) options.port = port;
  if (ttftMs !== undefined) options.ttftMs = ttftMs;
  if (chunkDelayMs !== undefined) options.chunkDelayMs = chunkDelayMs;
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
 * cannot be bound (the message names the flag or field and the value).
 * @example
 * process.exitCode = await simulateCommand(process.argv.slice(3), process);
 */
export async function simulateCommand(args: string[], io: SimulateCommandIo): Promise<number> {
  let options: SimulatorOptions | 'help';
  try {
    options = await parseOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`claude-actors simulate: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(USAGE);
    return 0;
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
