import { OrphanWatchdog } from './orphan-watchdog.js';
import { killProcessTree } from './process-tree.js';
import { type ProcessRecording, recordProcess } from './record-process.js';

type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const HOST_SIGNALS: readonly Signal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Every CLI process group this host has started and not yet seen exit. Process-wide on purpose:
 * several runtimes in one host share one set of exit handlers and one watchdog.
 */
class ProcessRegistry {
  /** Process group id (the CLI's pid) to the marker its environment carries. */
  readonly #groups = new Map<number, string | undefined>();
  /** Removes a group's durable record (see `recordProcess`), for the groups recorded. */
  readonly #unrecord = new Map<number, () => void>();
  readonly #exitWaiters = new Set<() => void>();
  readonly #pidWaiters = new Set<() => void>();
  readonly #watchdog = new OrphanWatchdog();
  #installed = false;

  readonly #onExit = (): void => {
    this.killAll('SIGKILL');
    // Dead now, so no later host need reap them (the built-in backends remove synchronously).
    for (const unrecord of this.#unrecord.values()) unrecord();
    this.#unrecord.clear();
  };

  readonly #onSignal = (signal: Signal): void => {
    // The host handles this signal itself (a graceful shutdown, say `runtime.stop()` with a
    // deadline): it is not dying of it, so its CLIs are its business. Should it die after all,
    // the exit handler and the watchdog still take them down.
    if (process.listenerCount(signal) > 1) return;
    // Nobody else handles it: the host would have died of it. Take the CLIs down, then die.
    this.killAll('SIGTERM');
    this.#uninstall();
    process.kill(process.pid, signal);
  };

  /**
   * Records a live CLI process group and arms the handlers. `marker` is the value of the
   * `CLAUDE_ACTORS_PROC` variable its environment carries, so that tool processes that left the
   * group are found too. With `recording`, it is also recorded durably (pid and start time),
   * so that a host starting after this one died without cleaning up can reap it.
   */
  add(pgid: number, marker?: string, recording?: ProcessRecording): void {
    this.#groups.set(pgid, marker);
    this.#watchdog.watch(pgid, marker);
    const unrecord = recording && recordProcess(recording, pgid, marker);
    if (unrecord) this.#unrecord.set(pgid, unrecord);
    this.#install();
  }

  /** Forgets a process group whose leader has exited. */
  delete(pgid: number): void {
    if (!this.#groups.delete(pgid)) return;
    this.#watchdog.unwatch(pgid);
    this.#unrecord.get(pgid)?.();
    this.#unrecord.delete(pgid);
    for (const check of [...this.#pidWaiters]) check();
    if (this.#groups.size === 0) {
      this.#uninstall();
      for (const resolve of this.#exitWaiters) resolve();
      this.#exitWaiters.clear();
    }
  }

  /** Pids of the CLI processes still running. */
  list(): number[] {
    return [...this.#groups.keys()];
  }

  /** Sends a signal to every registered CLI and everything it started, synchronously. */
  killAll(signal: NodeJS.Signals): void {
    for (const [pgid, marker] of this.#groups) killProcessTree(pgid, marker, signal);
  }

  /** Resolves once the given process group is no longer registered (it exited). */
  whenExited(pgid: number): Promise<void> {
    if (!this.#groups.has(pgid)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.#groups.has(pgid)) return;
        this.#pidWaiters.delete(check);
        resolve();
      };
      this.#pidWaiters.add(check);
    });
  }

  /** Resolves once no registered process is left. */
  whenEmpty(): Promise<void> {
    if (this.#groups.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.add(resolve));
  }

  get watchdogPid(): number | undefined {
    return this.#watchdog.pid;
  }

  #install(): void {
    if (this.#installed) return;
    this.#installed = true;
    process.on('exit', this.#onExit);
    for (const signal of HOST_SIGNALS) process.on(signal, this.#onSignal);
  }

  #uninstall(): void {
    if (!this.#installed) return;
    this.#installed = false;
    process.off('exit', this.#onExit);
    for (const signal of HOST_SIGNALS) process.off(signal, this.#onSignal);
  }
}

/** @internal The host-wide registry of CLI process groups. */
export const processRegistry = new ProcessRegistry();

/** Pids of the CLI processes this host has started that are still running. */
export function liveProcesses(): number[] {
  return processRegistry.list();
}

/**
 * Resolves when every CLI process this host started has exited, or rejects after `timeoutMs`
 * with the pids still running. Tests call it in `afterEach` to prove nothing leaks.
 */
export async function waitForNoLiveProcesses(timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `CLI processes still running after ${timeoutMs} ms: ${liveProcesses().join(', ')}`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([processRegistry.whenEmpty(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
