import { processRegistry } from '../process/registry/process-registry.js';

/** @internal The CLI processes a runtime started that have not exited yet, by pid. */
export class LiveProcesses {
  readonly #pids = new Set<number>();

  /** Follows a spawned process until it exits. */
  track(pid: number): void {
    this.#pids.add(pid);
    void processRegistry.whenExited(pid).then(() => this.#pids.delete(pid));
  }

  /** The pids still running. */
  list(): number[] {
    return [...this.#pids];
  }

  /** Resolves once every process tracked so far has exited. */
  async allExited(): Promise<void> {
    await Promise.all(this.list().map((pid) => processRegistry.whenExited(pid)));
  }
}
