import { existsSync } from 'node:fs';
import { defaultProcessRecords } from '../process/registry/default-process-records.js';
import { type ReapedProcess, reapOrphans } from '../process/registry/reap-orphans.js';
import { openSqliteStore } from '../store/open-sqlite-store.js';
import type { Store } from '../store/store.js';
import { commandHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import { type AnyCommandSpec, booleanFlag, stringFlag } from './command-spec.js';
import { describeError } from './describe-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { parseCommandLine } from './parse-command-line.js';
import { writeProblems } from './write-problems.js';

/** The command line of `claude-actors reap`: parsed from and documented by this one table. */
export const reapCommandSpec = {
  name: 'reap',
  operands: '',
  summary:
    'Kill the CLI processes (and their tools) that dead hosts left running, and remove their records.',
  takesOperands: false,
  flags: {
    store: stringFlag(
      'FILE',
      'The records of this SQLite store (default: the per-user folder every runtime without a store uses).',
    ),
    'dry-run': booleanFlag('Only say what would be killed: kill nothing, keep every record.'),
  },
} as const satisfies AnyCommandSpec;

function line(cli: ReapedProcess, dryRun: boolean): string {
  const kill = dryRun ? 'would kill' : 'killed';
  const host = `host ${cli.hostPid} is gone`;
  switch (cli.cli) {
    case 'running':
      return `CLI ${cli.pid} (${host}): ${kill} it and ${cli.killed.length - 1} process(es) it started`;
    case 'exited':
      return cli.killed.length > 0
        ? `CLI ${cli.pid} (${host}) had exited: ${kill} ${cli.killed.length} process(es) it left`
        : `CLI ${cli.pid} (${host}) had exited, leaving nothing running`;
    case 'stale':
      return `CLI ${cli.pid} (${host}) was recorded before the last reboot`;
  }
}

/**
 * `claude-actors reap [--store FILE] [--dry-run]`: what a runtime does when it starts (see
 * `reapOrphans`), on demand: reads the process records, leaves those of running hosts alone,
 * kills what the dead ones left and removes their records. Prints one line per record of a
 * dead host and a summary.
 *
 * @returns 0 when done (whether or not anything was left), 1 when the records cannot be read,
 *   2 for bad usage.
 */
export async function reapCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine<typeof reapCommandSpec.flags>>;
  try {
    parsed = parseCommandLine(reapCommandSpec, args);
  } catch (error) {
    return writeProblems(io.stderr, describeError(error), reapCommandSpec);
  }
  if (parsed.help) {
    io.stdout.write(commandHelp(reapCommandSpec));
    return EXIT_CODES.ok;
  }
  const dryRun = parsed.values['dry-run'] ?? false;
  if (parsed.values.store !== undefined && !existsSync(parsed.values.store)) {
    // Opening would create an empty store, and report nothing to reap.
    return writeProblems(io.stderr, [`--store: no store at ${parsed.values.store}`]);
  }
  let store: Store | undefined;
  try {
    store = parsed.values.store === undefined ? undefined : openSqliteStore(parsed.values.store);
    const records = store?.processes ?? defaultProcessRecords();
    const report = await reapOrphans(records, { dryRun });
    if (!report.supported) {
      io.stdout.write('Nothing done: finding processes needs /proc (Linux).\n');
      return EXIT_CODES.ok;
    }
    for (const cli of report.reaped) io.stdout.write(`${line(cli, dryRun)}\n`);
    const killed = report.reaped.reduce((n, cli) => n + cli.killed.length, 0);
    io.stdout.write(
      `${report.records} record(s), ${report.liveHosts} running host(s) left alone` +
        (report.otherNamespaces > 0
          ? `, ${report.otherNamespaces} of other pid namespaces left alone`
          : '') +
        '; ' +
        `${report.reaped.length} record(s) of dead hosts ` +
        (dryRun
          ? `found, ${killed} process(es) would be killed (dry run: nothing changed).\n`
          : `removed, ${killed} process(es) killed.\n`),
    );
    return EXIT_CODES.ok;
  } catch (error) {
    io.stderr.write(
      `claude-actors reap: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT_CODES.failed;
  } finally {
    await store?.close();
  }
}
