import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A POSIX shell that outlives the host by design: it reads `+PGID` / `-PGID` lines on stdin and,
 * when stdin reaches end-of-file (the host exited or was SIGKILLed and the kernel closed the
 * pipe), kills every process group still listed. It ignores INT/TERM/HUP so that a Ctrl-C
 * aimed at the host's terminal cannot take it down before it has done its job.
 */
const SCRIPT = `
trap '' INT TERM HUP
pids=""
while IFS= read -r line; do
  case "$line" in
    +*) pids="$pids \${line#+}" ;;
    -*) p="\${line#-}"; next=""; for q in $pids; do [ "$q" = "$p" ] || next="$next $q"; done; pids="$next" ;;
  esac
done
for q in $pids; do kill -KILL -"$q" 2>/dev/null; done
`;

/**
 * The host-death backstop for CLI processes: exit and signal handlers cover a host that ends
 * normally or by SIGINT/SIGTERM, but nothing in the host runs on SIGKILL or a crash of the
 * runtime itself. One watchdog serves the whole host process and costs one idle `sh`.
 *
 * @internal
 */
export class OrphanWatchdog {
  #child: ChildProcess | undefined;
  #broken = false;
  /** What it watches, so that a respawned watchdog is told everything again. */
  readonly #watched = new Set<number>();

  /** Starts watching a process group (the CLI's pid, since it leads its own group). */
  watch(pgid: number): void {
    this.#watched.add(pgid);
    this.#send(`+${pgid}\n`);
  }

  /** Stops watching a process group that has exited. */
  unwatch(pgid: number): void {
    this.#watched.delete(pgid);
    if (this.#child) this.#send(`-${pgid}\n`);
  }

  /** Pid of the watchdog shell, when running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  #send(line: string): void {
    const child = this.#ensure();
    if (!child?.stdin?.writable) return;
    child.stdin.write(line);
  }

  #ensure(): ChildProcess | undefined {
    if (this.#child || this.#broken || process.platform === 'win32') return this.#child;
    try {
      const child = spawn('/bin/sh', ['-c', SCRIPT], {
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.on('error', () => {
        this.#broken = true;
        this.#child = undefined;
      });
      child.on('exit', () => {
        if (this.#child === child) this.#child = undefined;
      });
      child.stdin?.on('error', () => {});
      // The watchdog must never keep the host's event loop alive.
      child.unref();
      (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
      this.#child = child;
      // A watchdog started again (the last one died) must know the groups already running.
      for (const pgid of this.#watched) child.stdin?.write(`+${pgid}\n`);
    } catch {
      this.#broken = true;
    }
    return this.#child;
  }
}
