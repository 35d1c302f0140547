import { execa } from 'execa';
import { redactSecrets } from '../../core/redaction/redact-secrets.js';
import type { ProcessRecordStore } from '../../store/processes/process-record-store.js';
import { SpawnFailedError } from '../errors/spawn-failed-error.js';
import { defaultProcessRecords } from '../registry/default-process-records.js';
import { processRegistry } from '../registry/process-registry.js';
import { killProcessTree, newProcessMarker, PROCESS_MARKER_VAR } from '../registry/process-tree.js';
import { acquirePrivateFiles, type PrivateFile } from './private-files.js';
import { StderrTail } from './stderr-tail.js';

/** How to start one CLI process. */
export interface SpawnClaudeOptions {
  readonly executable: string;
  /** argv after the executable; never interpreted by a shell. */
  readonly args: readonly string[];
  /** The complete environment of the child (see `buildEnv`). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string | undefined;
  /** How much of stderr to keep for error messages. @defaultValue 8192 */
  readonly stderrTailBytes?: number;
  /** Every stdout chunk, in order. */
  readonly onStdout: (chunk: Buffer) => void;
  /**
   * Files the argv names that hold secrets (inline MCP configs, settings): written (0600) just
   * before the spawn, removed once the process has exited.
   */
  readonly privateFiles?: readonly PrivateFile[];
  /**
   * Every stderr chunk as text, secrets redacted (a query's `stderr` option). A throwing
   * listener is ignored. A process with one is never pooled.
   */
  readonly onStderr?: ((data: string) => void) | undefined;
  /**
   * The process belongs to one query: a pool starts it fresh and never reuses it (a query that
   * registers callbacks and in-process MCP servers with its CLI).
   * @defaultValue false
   */
  readonly exclusive?: boolean | undefined;
  /**
   * Where the process is recorded (pid, start time, this host) until it exits, so that a host
   * starting after this one died without cleaning up reaps it (see `reapOrphans`); `false`
   * for nowhere.
   * @defaultValue the per-user folder of {@link defaultProcessRecords}
   */
  readonly records?: ProcessRecordStore | false | undefined;
  /** A record could not be written or removed; the process runs on. */
  readonly onRecordError?: ((error: unknown) => void) | undefined;
}

/** How a CLI process ended. */
export interface ExitInfo {
  /** Exit code, when it exited by itself. */
  readonly exitCode: number | undefined;
  /** The signal that ended it, e.g. `SIGKILL`. */
  readonly signal: NodeJS.Signals | undefined;
  /** The last bytes of stderr, secrets redacted. */
  readonly stderrTail: string;
  /** Set when the process could not be started at all. */
  readonly spawnError?: SpawnFailedError;
}

/** A running CLI process, as the actors see it. */
export interface ClaudeProcess {
  /** The pid, also the id of its process group; undefined when the spawn failed. */
  readonly pid: number | undefined;
  /** Settles once the process and its stdio have closed; never rejects. */
  readonly exited: Promise<ExitInfo>;
  /** Writes one line (a serialised host message). Returns false once stdin is closed. */
  write(line: string): boolean;
  /** Closes stdin: in stream-json input mode the CLI finishes its turn, then exits. */
  closeInput(): void;
  /** SIGTERM to the CLI and every process it started now, SIGKILL after `graceMs`. */
  terminate(graceMs: number): Promise<ExitInfo>;
  /** The polite stop: close stdin, wait `graceMs`, then {@link ClaudeProcess.terminate}. */
  stop(graceMs: number): Promise<ExitInfo>;
  /** SIGKILL to the CLI and every process it started, now. */
  kill(): void;
  /** The stderr kept so far. */
  stderrTail(): string;
}

/**
 * Spawns the Claude Code CLI as the leader of its own process group, with a unique
 * `CLAUDE_ACTORS_PROC` marker in its environment, so that stopping it also stops every tool
 * process it started (even those in another session or re-parented to init, see
 * {@link killProcessTree}), and registers it so that none of them outlives the host: in memory
 * for the exit handlers and the watchdog, and durably (`records`) for a host that dies with its
 * watchdog.
 */
export function spawnClaude(options: SpawnClaudeOptions): ClaudeProcess {
  const stderr = new StderrTail(options.stderrTailBytes ?? 8192);
  // Inherited by every tool process, so that they are found even once they left the group.
  const marker = newProcessMarker();
  const releaseFiles = acquirePrivateFiles(options.privateFiles);
  const subprocess = execa(options.executable, [...options.args], {
    cwd: options.cwd,
    env: { ...options.env, [PROCESS_MARKER_VAR]: marker },
    extendEnv: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    detached: true,
    // The registry and the watchdog do this for the whole group; execa would only kill the leader.
    cleanup: false,
    forceKillAfterDelay: false,
    windowsHide: true,
  });
  // reject: false means the promise resolves; swallow anyway so nothing surfaces as unhandled.
  subprocess.catch(() => {});

  const pid = subprocess.pid;
  const records = options.records ?? defaultProcessRecords();
  if (pid !== undefined) {
    processRegistry.add(
      pid,
      marker,
      records ? { records, onError: options.onRecordError } : undefined,
    );
  }
  let inputOpen = true;
  let finished = false;
  let killTimer: NodeJS.Timeout | undefined;

  subprocess.stdout?.on('data', (chunk: Buffer) => options.onStdout(chunk));
  const { onStderr } = options;
  subprocess.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
    if (!onStderr) return;
    try {
      onStderr(redactSecrets(chunk.toString('utf8')));
    } catch {
      // The caller's listener; its failure must not take the process down.
    }
  });
  subprocess.stdin?.on('error', () => {
    // EPIPE when the CLI died: the exit is reported through `exited`.
    inputOpen = false;
  });

  const exited = new Promise<ExitInfo>((resolve) => {
    let exitCode: number | undefined;
    let signal: NodeJS.Signals | undefined;
    const settle = (spawnError?: SpawnFailedError): void => {
      if (finished) return;
      finished = true;
      inputOpen = false;
      clearTimeout(killTimer);
      if (pid !== undefined) processRegistry.delete(pid);
      releaseFiles();
      resolve({ exitCode, signal, stderrTail: redactSecrets(stderr.toString()), spawnError });
    };
    subprocess.once('error', (error: Error) => {
      if (pid === undefined) settle(new SpawnFailedError(options.executable, error));
    });
    subprocess.once('exit', (code, sig) => {
      exitCode = code ?? undefined;
      signal = sig ?? undefined;
      // Take down what the CLI started and left behind (tool processes, in its group or not),
      // so that stdio can close and nothing outlives it.
      if (pid !== undefined) killProcessTree(pid, marker, 'SIGKILL', { rootExited: true });
    });
    subprocess.once('close', (code, sig) => {
      exitCode ??= code ?? undefined;
      signal ??= sig ?? undefined;
      settle();
    });
  });

  const closeInput = (): void => {
    if (!inputOpen) return;
    inputOpen = false;
    subprocess.stdin?.end();
  };

  const terminate = (graceMs: number): Promise<ExitInfo> => {
    if (!finished && pid !== undefined) {
      closeInput();
      killProcessTree(pid, marker, 'SIGTERM');
      clearTimeout(killTimer);
      killTimer = setTimeout(() => killProcessTree(pid, marker, 'SIGKILL'), graceMs);
      killTimer.unref?.();
    }
    return exited;
  };

  return {
    pid,
    exited,
    write(line) {
      if (!inputOpen || !subprocess.stdin?.writable) return false;
      subprocess.stdin.write(line);
      return true;
    },
    closeInput,
    terminate,
    stop(graceMs) {
      if (finished) return exited;
      closeInput();
      const timer = setTimeout(() => void terminate(graceMs), graceMs);
      timer.unref?.();
      return exited.finally(() => clearTimeout(timer));
    },
    kill() {
      if (!finished && pid !== undefined) killProcessTree(pid, marker, 'SIGKILL');
    },
    stderrTail: () => redactSecrets(stderr.toString()),
  };
}
