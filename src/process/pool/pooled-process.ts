import type { ClaudeProcess, ExitInfo } from '../spawn/spawn-claude.js';

/** How a query used a process, when it hands it back. */
export interface ReleaseInfo {
  /** Whether the query made any tool call. */
  readonly usedTools: boolean;
}

/**
 * A {@link ClaudeProcess} that can be handed back instead of closed. The query actor calls
 * `release` where it would close stdin; the pool then decides to reuse or retire it.
 */
export interface ReleasableProcess extends ClaudeProcess {
  /** Whether the pool may reuse it: then stdin must stay open until the result. */
  readonly reusable: boolean;
  release(info: ReleaseInfo): void;
}

/** Whether a process came from a pool that may take it back. */
export function isReleasable(proc: ClaudeProcess): proc is ReleasableProcess {
  return typeof (proc as Partial<ReleasableProcess>).release === 'function';
}

/**
 * @internal A pooled CLI whose stdout goes to whoever holds it now (nobody while idle: output
 * is kept until it is claimed).
 */
export class PooledProcess {
  readonly spawnedAt = Date.now();
  idleSince = Date.now();
  #target: ((chunk: Buffer) => void) | undefined;
  readonly #pending: Buffer[] = [];

  constructor(
    readonly key: string,
    readonly proc: ClaudeProcess,
  ) {}

  /** The stdout router given to `spawnClaude`. */
  readonly route = (chunk: Buffer): void => {
    if (this.#target) this.#target(chunk);
    else this.#pending.push(chunk);
  };

  /** Sends stdout to a new holder, first what arrived while idle. */
  attach(target: ((chunk: Buffer) => void) | undefined): void {
    this.#target = target;
    if (!target) return;
    for (const chunk of this.#pending.splice(0)) target(chunk);
  }

  get exited(): Promise<ExitInfo> {
    return this.proc.exited;
  }
}
