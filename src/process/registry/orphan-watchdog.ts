import { type ChildProcess, spawn } from 'node:child_process';
import { PROCESS_MARKER_VAR } from './process-tree.js';

/**
 * A POSIX shell (dash-compatible) that outlives the host by design: it reads `+PGID MARKER` /
 * `-PGID` lines on stdin and, when stdin reaches end-of-file (the host exited or was SIGKILLed
 * and the kernel closed the pipe), kills every process group still listed and every process
 * whose environment carries one of their markers (`CLAUDE_ACTORS_PROC=MARKER`, inherited by all
 * tool processes, even those that left the group and were re-parented to init), together with
 * any group such a process leads. It stops them all first (so none can fork between scans),
 * then kills them. It ignores INT/TERM/HUP so that a Ctrl-C aimed at the host's terminal cannot
 * take it down before it has done its job. Without `/proc` or `grep` it kills the groups only.
 */
const SCRIPT = `
trap '' INT TERM HUP
entries=""
while IFS= read -r line; do
  case "$line" in
    +*) entries="$entries \${line#+}" ;;
    -*) p="\${line#-}"; next=""
        set -f; set -- $entries; set +f
        while [ $# -gt 0 ]; do [ "$1" = "$p" ] || next="$next $1 $2"; shift 2; done
        entries="$next" ;;
  esac
done
set -f; set -- $entries; set +f
groups=""; pats=""
while [ $# -gt 0 ]; do
  groups="$groups $1"
  case "$2" in ''|*[!0-9a-f-]*) ;; *) pats="$pats
${PROCESS_MARKER_VAR}=$2" ;; esac
  shift 2
done
for g in $groups; do kill -STOP -"$g" 2>/dev/null; done
found=""
if [ -n "$pats" ] && [ -d /proc/self ] && command -v grep >/dev/null 2>&1; then
  pats="\${pats#?}"
  for pass in 1 2 3; do
    fresh=""
    for f in $(grep -lsaF -e "$pats" /proc/[0-9]*/environ 2>/dev/null); do
      q="\${f#/proc/}"; q="\${q%/environ}"
      case " $found " in *" $q "*) ;; *) fresh="$fresh $q" ;; esac
    done
    [ -z "$fresh" ] && break
    for q in $fresh; do kill -STOP "$q" 2>/dev/null; kill -STOP -"$q" 2>/dev/null; done
    found="$found$fresh"
  done
fi
for g in $groups; do kill -KILL -"$g" 2>/dev/null; kill -KILL "$g" 2>/dev/null; done
for q in $found; do kill -KILL -"$q" 2>/dev/null; kill -KILL "$q" 2>/dev/null; done
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
  readonly #watched = new Map<number, string | undefined>();

  /**
   * Starts watching a process group (the CLI's pid, since it leads its own group) and the
   * processes carrying its marker.
   */
  watch(pgid: number, marker?: string): void {
    this.#watched.set(pgid, marker);
    this.#send(`+${entry(pgid, marker)}\n`);
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
      for (const [pgid, marker] of this.#watched) child.stdin?.write(`+${entry(pgid, marker)}\n`);
    } catch {
      this.#broken = true;
    }
    return this.#child;
  }
}

/** One watchdog entry: the group and its marker (`-` for none: never a valid marker). */
function entry(pgid: number, marker: string | undefined): string {
  return `${pgid} ${marker && /^[0-9a-f-]+$/.test(marker) ? marker : '-'}`;
}
