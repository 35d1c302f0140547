import type { Logger } from '../../core/logging/create-logger.js';
import { userMessage } from '../../protocol/host-message-builders.js';
import { createLineDecoder } from '../../protocol/line-decoder.js';
import { parseCliLine } from '../../protocol/parse-cli-line.js';
import { serializeHostMessage } from '../../protocol/serialize-host-message.js';
import {
  type ClaudeProcess,
  type ExitInfo,
  type SpawnClaudeOptions,
  spawnClaude,
} from '../spawn/spawn-claude.js';
import { poolKey } from './pool-key.js';
import {
  type ProcessPoolOptions,
  parseProcessPoolOptions,
  type ResolvedProcessPoolOptions,
} from './pool-options.js';
import { PooledProcess, type ReleasableProcess, type ReleaseInfo } from './pooled-process.js';

/** Counters of a pool since it started. */
export interface ProcessPoolStats {
  /** Idle processes ready now. */
  readonly idle: number;
  /** Queries served by a warm process. */
  readonly hits: number;
  /** Queries that had to start a process. */
  readonly misses: number;
  /** Warm processes that served a second (or later) query after `/clear`. */
  readonly reused: number;
  /** Processes started ahead of demand. */
  readonly prespawned: number;
  /** Idle processes stopped after `maxIdleMs`, or to make room. */
  readonly expired: number;
}

/** What the pool needs from the outside world. */
export interface ProcessPoolDependencies {
  /** @defaultValue {@link spawnClaude} */
  readonly spawn?: typeof spawnClaude;
  readonly logger?: Logger | undefined;
  /**
   * How many idle processes may exist right now besides the running ones: a runtime passes
   * what its concurrency cap leaves (cap − queries in flight), so queries and idle processes
   * together never exceed the cap. `maxIdle` applies as well.
   */
  readonly idleAllowance?: () => number;
}

/** Longest wait for the CLI to acknowledge `/clear` before the process is retired instead. */
const CLEAR_TIMEOUT_MS = 10_000;

type Template = Omit<SpawnClaudeOptions, 'onStdout'>;

/**
 * A pool of pre-started CLI processes, per configuration. A cold CLI costs ~0.4 s of CPU and
 * 0.3–0.8 s before its first answer; one started ahead and waiting for its first message on
 * stdin answers in 0.1–0.3 s. Its {@link ProcessPool.spawn} is a drop-in replacement for
 * `spawnClaude`: it hands out a warm process with the same configuration when it has one,
 * starts one otherwise, and refills in the background. Configurations are learnt from use
 * (or {@link ProcessPool.prewarm}) and kept warm until they go unused for `maxIdleMs`.
 *
 * Every process it holds is registered like any other CLI, so none outlives the host.
 */
export class ProcessPool {
  readonly options: ResolvedProcessPoolOptions;
  readonly #spawn: typeof spawnClaude;
  readonly #logger: Logger | undefined;
  readonly #idleAllowance: (() => number) | undefined;
  /** Idle processes per key, oldest first; the map's order is least recently used first. */
  readonly #idle = new Map<string, PooledProcess[]>();
  readonly #templates = new Map<string, Template>();
  readonly #timers = new Map<PooledProcess, NodeJS.Timeout>();
  readonly #all = new Set<PooledProcess>();
  /** Processes a query holds right now (theirs to stop). */
  readonly #lent = new Set<PooledProcess>();
  #closed = false;
  #closing: Promise<void> | undefined;
  #stats = { hits: 0, misses: 0, reused: 0, prespawned: 0, expired: 0 };

  constructor(options: ProcessPoolOptions = {}, deps: ProcessPoolDependencies = {}) {
    this.options = parseProcessPoolOptions(options);
    this.#spawn = deps.spawn ?? spawnClaude;
    this.#logger = deps.logger;
    this.#idleAllowance = deps.idleAllowance;
  }

  /** Idle processes allowed now: `maxIdle`, within what the concurrency cap leaves. */
  #maxIdleNow(): number {
    const allowance = this.#idleAllowance?.();
    return allowance === undefined
      ? this.options.maxIdle
      : Math.max(0, Math.min(this.options.maxIdle, allowance));
  }

  /** Starts (or takes a warm) CLI for these options; same contract as `spawnClaude`. */
  readonly spawn = (options: SpawnClaudeOptions): ClaudeProcess => {
    // A stderr listener, or registrations made over stdin (`exclusive`), belong to one query:
    // such a process is its own, never pooled.
    if (options.onStderr || options.exclusive) {
      this.#stats.misses += 1;
      return this.#spawn(options);
    }
    const key = poolKey(options);
    const { onStdout, ...template } = options;
    this.#templates.delete(key);
    this.#templates.set(key, template);
    const warm = this.#takeIdle(key);
    if (warm) this.#stats.hits += 1;
    else this.#stats.misses += 1;
    const pooled = warm ?? this.#start(key, template);
    pooled.attach(onStdout);
    // A new running process may leave less room for idle ones under the cap.
    this.#makeRoom(undefined, 0);
    this.#refillSoon(key);
    return this.#lend(pooled);
  };

  /** Starts `count` idle processes for a configuration ahead of its first query. */
  prewarm(options: Template, count = this.options.size): void {
    const key = poolKey({ ...options, onStdout: () => {} });
    this.#templates.delete(key);
    this.#templates.set(key, options);
    for (let i = 0; i < count; i++) this.#addIdle(key);
  }

  /** Counters, and the idle processes ready now. */
  stats(): ProcessPoolStats {
    let idle = 0;
    for (const list of this.#idle.values()) idle += list.length;
    return { idle, ...this.#stats };
  }

  /**
   * Stops every process the pool holds (idle, or being cleared for reuse) and takes no more;
   * resolves once they have exited. Processes lent to running queries stay theirs.
   */
  close(graceMs = 2_000): Promise<void> {
    this.#closing ??= this.#close(graceMs);
    return this.#closing;
  }

  async #close(graceMs: number): Promise<void> {
    this.#closed = true;
    for (const list of this.#idle.values()) list.splice(0);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    const held = [...this.#all].filter((pooled) => !this.#lent.has(pooled));
    await Promise.all(held.map((pooled) => this.#retire(pooled, graceMs)));
  }

  #start(key: string, template: Template): PooledProcess {
    let pooled: PooledProcess | undefined;
    const proc = this.#spawn({ ...template, onStdout: (chunk) => pooled?.route(chunk) });
    pooled = new PooledProcess(key, proc);
    this.#all.add(pooled);
    const started = pooled;
    void proc.exited.then(() => this.#forget(started));
    return pooled;
  }

  #takeIdle(key: string): PooledProcess | undefined {
    const list = this.#idle.get(key);
    while (list && list.length > 0) {
      const pooled = list.shift()!;
      clearTimeout(this.#timers.get(pooled));
      this.#timers.delete(pooled);
      if (this.#all.has(pooled)) return pooled;
    }
    return undefined;
  }

  /** Lends a process to one query: `release` gives it back, and then it is no longer theirs. */
  #lend(pooled: PooledProcess): ReleasableProcess {
    const proc = pooled.proc;
    this.#lent.add(pooled);
    let released = false;
    let done!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => {
      done = resolve;
    });
    void proc.exited.then(done);
    const ifLent = <T>(fn: () => T, otherwise: T): T => (released ? otherwise : fn());
    return {
      pid: proc.pid,
      exited,
      reusable: this.options.reuse !== 'never',
      write: (line) => ifLent(() => proc.write(line), false),
      closeInput: () => ifLent(() => proc.closeInput(), undefined),
      terminate: (graceMs) => ifLent(() => proc.terminate(graceMs), exited),
      stop: (graceMs) => ifLent(() => proc.stop(graceMs), exited),
      kill: () => ifLent(() => proc.kill(), undefined),
      stderrTail: () => proc.stderrTail(),
      release: (info: ReleaseInfo) => {
        if (released) return;
        released = true;
        this.#lent.delete(pooled);
        pooled.attach(undefined);
        // For the query, the process is done: it may now serve someone else.
        done({ exitCode: 0, signal: undefined, stderrTail: '' });
        this.#takeBack(pooled, info);
      },
    };
  }

  #takeBack(pooled: PooledProcess, info: ReleaseInfo): void {
    if (this.#closed || this.options.reuse === 'never' || info.usedTools) {
      pooled.proc.closeInput();
      return;
    }
    // Clear the conversation; only a confirmed clear (a result to `/clear`) makes it reusable.
    const timer = setTimeout(() => {
      pooled.attach(undefined);
      void this.#retire(pooled);
    }, CLEAR_TIMEOUT_MS);
    timer.unref?.();
    const decoder = createLineDecoder({
      onLine: (line) => {
        const message = parseCliLine(line);
        if (message?.type !== 'result') return;
        clearTimeout(timer);
        pooled.attach(undefined);
        if (message.is_error) {
          void this.#retire(pooled);
          return;
        }
        this.#stats.reused += 1;
        this.#park(pooled);
      },
    });
    pooled.attach((chunk) => decoder.push(chunk));
    if (!pooled.proc.write(serializeHostMessage(userMessage('/clear')))) {
      clearTimeout(timer);
      void this.#retire(pooled);
    }
  }

  #refillSoon(key: string): void {
    if (this.options.size === 0 || this.#closed) return;
    setImmediate(() => {
      const have = this.#idle.get(key)?.length ?? 0;
      for (let i = have; i < this.options.size; i++) this.#addIdle(key);
    });
  }

  #addIdle(key: string): void {
    const template = this.#templates.get(key);
    if (!template || this.#closed || this.#maxIdleNow() === 0) return;
    this.#makeRoom(key);
    this.#stats.prespawned += 1;
    this.#park(this.#start(key, template));
  }

  /** Puts a process in the idle list, with its expiry. */
  #park(pooled: PooledProcess): void {
    if (this.#closed || this.#maxIdleNow() === 0) {
      void this.#retire(pooled);
      return;
    }
    this.#makeRoom(pooled.key);
    pooled.idleSince = Date.now();
    const list = this.#idle.get(pooled.key) ?? [];
    // Re-inserting moves the key to the most recently used end of the map.
    this.#idle.delete(pooled.key);
    this.#idle.set(pooled.key, [...list, pooled]);
    const timer = setTimeout(() => {
      this.#timers.delete(pooled);
      const current = this.#idle.get(pooled.key);
      if (!current?.includes(pooled)) return;
      current.splice(current.indexOf(pooled), 1);
      this.#stats.expired += 1;
      void this.#retire(pooled);
    }, this.options.maxIdleMs);
    timer.unref?.();
    this.#timers.set(pooled, timer);
  }

  /**
   * Evicts idle processes, least recently used configuration first, until `room` more fit
   * under the idle limit (by default one, for a process about to be parked).
   */
  #makeRoom(forKey: string | undefined, room = 1): void {
    const limit = this.#maxIdleNow() - room;
    let total = 0;
    for (const list of this.#idle.values()) total += list.length;
    for (const [key, list] of this.#idle) {
      if (total <= limit) return;
      if (key === forKey && this.#idle.size > 1) continue;
      while (list.length > 0 && total > limit) {
        const victim = list.shift()!;
        clearTimeout(this.#timers.get(victim));
        this.#timers.delete(victim);
        this.#stats.expired += 1;
        void this.#retire(victim);
        total -= 1;
      }
    }
  }

  #retire(pooled: PooledProcess, graceMs = 2_000): Promise<ExitInfo> {
    this.#logger?.debug({ pid: pooled.proc.pid }, 'pool: retiring an idle process');
    // An idle CLI has no turn to finish: closing stdin ends it; stop() escalates if not.
    return pooled.proc.stop(graceMs);
  }

  #forget(pooled: PooledProcess): void {
    this.#all.delete(pooled);
    this.#lent.delete(pooled);
    clearTimeout(this.#timers.get(pooled));
    this.#timers.delete(pooled);
    const list = this.#idle.get(pooled.key);
    if (list?.includes(pooled)) list.splice(list.indexOf(pooled), 1);
  }
}
