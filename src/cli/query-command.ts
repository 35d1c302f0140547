import { parseArgs } from 'node:util';
import { runQuery } from '../actors/run-query.js';
import { isClaudeActorsError } from '../errors/claude-actors-error.js';
import type { QueryOptions } from '../options/index.js';
import { createSimulatedEnvironment } from '../simulator/create-simulated-environment.js';
import { textDeltas } from '../streams/text-deltas.js';
import type { CommandIo } from './command-io.js';

/**
 * `claude-actors query "<prompt>" [--live] [--model M] [--max-turns N] [--json]`: runs one
 * query and streams its text. Against the built-in simulator unless `--live` is given.
 */
export async function queryCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr.write(`claude-actors query: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const prompt = positionals.join(' ').trim();
  if (!prompt) {
    io.stderr.write('claude-actors query: give a prompt, e.g. claude-actors query "hello"\n');
    return 2;
  }
  const sim = values.live ? undefined : await createSimulatedEnvironment({ chunkDelayMs: 10 });
  try {
    const options: QueryOptions = {
      ...(sim?.options ?? {}),
      includePartialMessages: !values.json,
      ...(values.model ? { model: values.model } : {}),
      ...(values['max-turns'] ? { maxTurns: Number(values['max-turns']) } : {}),
    };
    const handle = runQuery(prompt, options, { signal: io.signal });
    if (!values.json)
      handle.messages$.pipe(textDeltas()).subscribe((text) => io.stdout.write(text));
    const result = await handle.result;
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ ...result, error: result.error?.toJSON(), raw: undefined, attemptErrors: result.attemptErrors.map((e) => e.toJSON()) }, null, 2)}\n`,
      );
    } else {
      io.stdout.write('\n');
      io.stderr.write(
        `${result.status} · ${result.durationMs} ms · ${result.attempts} attempt(s) · $${result.costUsd.toFixed(6)}` +
          `${result.error ? ` · ${result.error.message}` : ''}\n`,
      );
    }
    return result.status === 'succeeded' ? 0 : 1;
  } catch (error) {
    io.stderr.write(
      `claude-actors query: ${isClaudeActorsError(error) ? error.message : String(error)}\n`,
    );
    return 2;
  } finally {
    await sim?.close();
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      live: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      model: { type: 'string' },
      'max-turns': { type: 'string' },
    },
  });
}
