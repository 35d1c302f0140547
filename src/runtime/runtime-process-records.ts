import type { Logger } from '../core/logging/create-logger.js';
import type { ProcessRegistryOption } from '../process/registry/process-registry-option.js';
import { type ReapReport, reapOrphans } from '../process/registry/reap-orphans.js';
import { flushProcessRecords } from '../process/registry/record-process.js';
import { resolveProcessRecords } from '../process/registry/resolve-process-records.js';
import type { spawnClaude } from '../process/spawn/spawn-claude.js';
import type { Store } from '../store/store.js';

/** @internal What a runtime does with the process registry. */
export interface RuntimeProcessRecords {
  /** `spawn`, recording every CLI it starts in the runtime's registry. */
  readonly recording: (spawn: typeof spawnClaude) => typeof spawnClaude;
  /** The reap run at start; never rejects (a failure is logged and carried as `error`). */
  readonly reaped: Promise<ReapReport>;
  /** Resolves once the reap and every record write so far have settled. */
  settle(): Promise<void>;
}

/**
 * @internal Resolves the `processes.registry` option, starts the reap of dead hosts' records
 * and hands out the recording spawn.
 */
export function runtimeProcessRecords(
  option: ProcessRegistryOption | undefined,
  store: Store | undefined,
  logger: Logger | undefined,
): RuntimeProcessRecords {
  const records = resolveProcessRecords(option, store);
  const log = logger?.child({ component: 'process-registry' });
  const onRecordError = (error: unknown): void => {
    log?.warn({ err: error }, 'cannot record a CLI process: a crash of this host would orphan it');
  };
  const reaped: Promise<ReapReport> = records
    ? reapOrphans(records, { logger: log }).catch((error: unknown) => {
        log?.error({ err: error }, 'cannot reap the CLI processes of dead hosts');
        return { ...nothing, supported: true, error };
      })
    : Promise.resolve({ ...nothing, supported: false });
  return {
    recording: (spawn) => (options) => spawn({ ...options, records, onRecordError }),
    reaped,
    settle: async () => {
      await reaped;
      await flushProcessRecords();
    },
  };
}

const nothing = {
  records: 0,
  liveHosts: 0,
  otherNamespaces: 0,
  reaped: [],
  dryRun: false,
} as const;
