import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueryOptions } from '../machines/query/options/query-options.js';
import { createSimulator } from './create-simulator.js';
import type { Simulator } from './simulator.js';
import type { SimulatorOptions } from './simulator-options.js';

/** A simulator plus a throw-away `HOME` for the CLI, and the query options that use both. */
export interface SimulatedEnvironment {
  readonly simulator: Simulator;
  /** The temporary home directory (the CLI writes its config and transcripts there). */
  readonly home: string;
  /** Options that point a query at the simulator: endpoint, fake key, home, no CLI retries. */
  readonly options: QueryOptions;
  /** Closes the simulator and removes the home directory. */
  close(): Promise<void>;
}

/**
 * Starts a simulator and a fresh home directory, and returns the query options that run the
 * real CLI against them: offline, credential-free, isolated from the user's own `~/.claude`.
 * No setting files are loaded (`settingSources: []`): a project's `.claude/settings.json` in
 * the working folder could otherwise set `ANTHROPIC_BASE_URL` or a provider in its `env` and
 * take a simulated query to a real, paid API.
 *
 * @example
 * const sim = await createSimulatedEnvironment();
 * sim.simulator.on('hello', { kind: 'text', text: 'Hi!' });
 * const { result } = runQuery('hello', sim.options);
 */
export async function createSimulatedEnvironment(
  options: SimulatorOptions & {
    cliMaxRetries?: number;
    /**
     * Use this home directory (created when missing, kept by `close`), e.g. to resume a
     * session a previous process started. @defaultValue a fresh temporary one, removed by `close`
     */
    home?: string;
  } = {},
): Promise<SimulatedEnvironment> {
  const { cliMaxRetries = 0, home: givenHome, ...simulatorOptions } = options;
  const simulator = await createSimulator(simulatorOptions);
  if (givenHome !== undefined) mkdirSync(givenHome, { recursive: true });
  const home = givenHome ?? mkdtempSync(join(tmpdir(), 'claude-actors-home-'));
  return {
    simulator,
    home,
    options: { env: { ...simulator.env(), HOME: home }, cliMaxRetries, settingSources: [] },
    async close() {
      await simulator.close();
      if (givenHome !== undefined) return;
      // A query resolves at its result while its CLI exits in the background, still writing
      // to this HOME: retry while it empties (ENOTEMPTY, EBUSY).
      await rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}
