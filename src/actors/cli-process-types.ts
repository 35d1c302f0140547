import type { Logger } from '../core/logging/create-logger.js';
import type { ExitInfo, SpawnClaudeOptions, spawnClaude } from '../process/spawn/spawn-claude.js';
import type { CliMessage } from '../protocol/cli-message.js';
import type { HostMessage } from '../protocol/host-message.js';
import type { ProtocolErrorEvent } from '../protocol/protocol-event.js';

/** A host environment, as `process.env`. */
export type HostEnv = Readonly<Record<string, string | undefined>>;

/** What the process actor needs from the outside world; all replaceable in tests. */
export interface ClaudeProcessDependencies {
  /**
   * Starts the CLI. A runtime with a pool passes one that may hand out a pre-started
   * process (see `ProcessPool.spawn`): a releasable one goes back to its pool at the result.
   * @defaultValue {@link spawnClaude}
   */
  readonly spawn?: typeof spawnClaude;
  /** The host environment the minimal CLI environment is taken from. @defaultValue `process.env` */
  readonly parentEnv?: HostEnv | undefined;
  /** Scrubbed of secrets as the library's own logger is (see `scrubbingLogger`). */
  readonly logger?: Logger | undefined;
}

/** Everything a CLI is started with except where its output goes (see `spawnOptionsFor`). */
export type CliSpawnOptions = Omit<SpawnClaudeOptions, 'onStdout'>;

/**
 * What becomes of the CLI's stdin:
 * - `open`: it stays open; the parent writes to it and closes it (`WRITE`,
 *   `CLOSE_INPUT`): a session, many turns and control requests.
 * - `untilResult`: closed at the first result, so the CLI exits once its turn is out (a query
 *   whose CLI asks for permissions over stdio needs it open until then).
 * - `afterMessages`: closed as soon as `messages` are written (a one-turn query); a reusable
 *   pooled process stays open until its result instead, where it goes back to its pool.
 *
 * In the two query modes a pooled process is released at the result instead of closed, and
 * stopping the actor after the result lets the CLI exit by itself first (`killGraceMs`).
 */
export type CliStdinMode = 'open' | 'untilResult' | 'afterMessages';

/** Input of the CLI-process actor ({@link fromCliProcess}): process-level, no query options. */
export interface CliProcessInput {
  /**
   * Builds what the CLI is started with (with `spawnOptionsFor`), from the host environment
   * the actor was given. Called once, inside the actor: a throw (no executable found) fails
   * the actor rather than its parent, and the environment, credentials included, stays out of
   * the input (so out of snapshots and inspection events).
   */
  readonly spawnOptions: (parentEnv: HostEnv) => CliSpawnOptions;
  /** Written on stdin right after the spawn, in order (a query's prompt). */
  readonly messages: readonly HostMessage[];
  readonly stdin: CliStdinMode;
  /** Longest stdout line kept; a longer one is dropped as a protocol error. */
  readonly maxLineBytes: number;
  /** How long a stopped CLI gets between SIGTERM (or the end of its turn) and SIGKILL. */
  readonly killGraceMs: number;
  /** Fields of every log line of this process, e.g. `{ queryId, attempt }`. */
  readonly logBindings: Readonly<Record<string, string | number>>;
}

/** Events the CLI-process actor sends its parent. */
export type CliProcessEvent =
  | { readonly type: 'claude.spawned'; readonly pid: number | undefined }
  | { readonly type: 'claude.message'; readonly message: CliMessage }
  | { readonly type: 'claude.protocol_error'; readonly error: ProtocolErrorEvent }
  | { readonly type: 'claude.exited'; readonly exit: ExitInfo }
  /**
   * The host threw after the start (handling output, a command); the CLI was killed, and its
   * `claude.exited` follows.
   */
  | { readonly type: 'claude.failed'; readonly error: unknown };

/** Commands the CLI-process actor accepts. */
export type CliProcessCommand =
  /** Writes one serialised host message (see `serializeHostMessage`). */
  | { readonly type: 'WRITE'; readonly line: string }
  | { readonly type: 'CLOSE_INPUT' }
  /** SIGKILL to the CLI and everything it started, now. */
  | { readonly type: 'KILL' };
