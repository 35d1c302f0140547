/**
 * A plugin that appends one JSON line per settled query to a ledger file: when, which query
 * and tags, how it ended, what it cost and used. No prompt or answer text is written, only
 * figures and the error code, so the ledger holds nothing secret.
 *
 *   const ledger = costLedger('costs.jsonl');
 *   const runtime = createRuntime({ plugins: [ledger] });
 *   …
 *   await ledger.flush(); // every line written
 */

import { appendFile } from 'node:fs/promises';
import type { QueryResult, RuntimePlugin } from 'claude-actors';

/** One line of the ledger. */
export interface LedgerLine {
  readonly at: string;
  readonly queryId: string;
  readonly tags: readonly string[];
  readonly status: QueryResult['status'];
  readonly costUsd: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly attempts: number;
  readonly durationMs: number;
  readonly errorCode?: string;
}

/** The cost ledger: a plugin, and a way to wait for its writes. */
export interface CostLedger extends RuntimePlugin {
  /** Resolves once every line so far is on disk; rejects with a write error. */
  flush(): Promise<void>;
}

/**
 * A plugin appending a {@link LedgerLine} per settled query to `path` (JSON Lines). Lines are
 * written in the order queries settle, one append at a time; a failed write rejects the
 * plugin's `afterQuery` (the runtime logs it and reports it on `pluginErrors$`) and the next
 * lines are still tried.
 */
export function costLedger(path: string, now: () => Date = () => new Date()): CostLedger {
  let writes: Promise<void> = Promise.resolve();
  return {
    name: 'cost-ledger',
    afterQuery(result, { queryId, tags }) {
      const line: LedgerLine = {
        at: now().toISOString(),
        queryId,
        tags,
        status: result.status,
        costUsd: result.costUsd,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        attempts: result.attempts,
        durationMs: result.durationMs,
        ...(result.error ? { errorCode: result.error.code } : {}),
      };
      const write = writes.then(() => appendFile(path, `${JSON.stringify(line)}\n`, 'utf8'));
      // The chain goes on after a failed write; this query's hook reports the failure.
      writes = write.catch(() => undefined);
      return write;
    },
    flush: () => writes,
  };
}
