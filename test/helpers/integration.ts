import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { waitForNoLiveProcesses } from '../../src/process/registry/process-registry.js';
import {
  createSimulatedEnvironment,
  type SimulatedEnvironment,
} from '../../src/testing/create-simulated-environment.js';

/**
 * One simulator and home per test file; after each test the simulator is reset and every CLI
 * the test started must have exited.
 */
export function useSimulator(): { readonly env: SimulatedEnvironment } {
  const holder: { env: SimulatedEnvironment } = {} as never;
  beforeAll(async () => {
    holder.env = await createSimulatedEnvironment();
  });
  afterEach(async () => {
    await waitForNoLiveProcesses(10_000);
    holder.env.simulator.reset();
  });
  afterAll(async () => {
    await holder.env?.close();
  });
  return holder;
}

/** Whether a process is alive: it exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Field 3 of /proc/PID/stat is the state; Z is a zombie (dead, not yet reaped).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Polls until `predicate` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return predicate();
}
