import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A TypeScript fixture run as a child process, its stdout read line by line. */
export interface KillableChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Every stdout line so far, in order. */
  readonly lines: readonly string[];
  /** Resolves with the first line (seen so far or later) that `predicate` accepts; rejects on exit. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Calls `listener` for every later line (synchronously as it is read). Returns an unsubscribe. */
  onLine(listener: (line: string) => void): () => void;
  /** Resolves when the process has exited and its stdout is fully read. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs the process (nothing when it already exited) and waits for its end. */
  kill(): Promise<void>;
}

/**
 * Starts `node <script>` for a `.mjs` (see `bundleFixture`), else `node --import tsx <script>`
 * (not the tsx bin: that one is a wrapper whose child would be the process to kill); stderr
 * passed through.
 */
export function startChild(script: string, env: Record<string, string>): KillableChild {
  const args = script.endsWith('.mjs') ? [script] : ['--import', 'tsx', script];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.pid === undefined) throw new Error(`Could not start ${script}`);
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const reader = createInterface({ input: child.stdout! });
  reader.on('line', (line) => {
    lines.push(line);
    for (const listener of [...listeners]) listener(line);
  });
  const closed = new Promise<void>((resolve) => reader.once('close', () => resolve()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      void closed.then(() => resolve({ code, signal }));
    });
  });
  const onLine = (listener: (line: string) => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return {
    process: child,
    pid: child.pid,
    lines,
    onLine,
    exited,
    waitForLine(predicate, timeoutMs = 30_000) {
      const seen = lines.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`No matching line from ${script} within ${timeoutMs} ms`));
        }, timeoutMs);
        const stop = onLine((line) => {
          if (!predicate(line)) return;
          clearTimeout(timer);
          stop();
          resolve(line);
        });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          stop();
          reject(new Error(`${script} exited (${code ?? signal}) before the expected line`));
        });
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
