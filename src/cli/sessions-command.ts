import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { didYouMean } from '../core/validation/did-you-mean.js';
import { openSqliteStore } from '../store/open-sqlite-store.js';
import type { SessionFilter } from '../store/sessions/session-filter.js';
import type { Store } from '../store/store.js';
import { commandHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import {
  type AnyCommandSpec,
  booleanFlag,
  type FlagValues,
  integerFlag,
  stringFlag,
} from './command-spec.js';
import { DEFAULT_STORE_FILE } from './default-store-file.js';
import { describeError } from './describe-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { parseCommandLine } from './parse-command-line.js';
import { parseCostFlag, parseDateFlag, parseDurationFlag } from './parse-time-flags.js';
import { sessionDetails, sessionsTable } from './sessions-format.js';
import { writeProblems } from './write-problems.js';

/** The command line of `claude-actors sessions`: parsed from and documented by this one table. */
export const sessionsCommandSpec = {
  name: 'sessions',
  operands: '<list|show|rm|cleanup> [id…]',
  summary:
    'The sessions recorded in a store: `list` (search), `show <id>`, `rm <id…>`, ' +
    '`cleanup --older-than 30d`.',
  takesOperands: true,
  flags: {
    store: stringFlag('FILE', `The store file (default: ${DEFAULT_STORE_FILE}).`),
    tag: stringFlag('TAG', 'list: only sessions with this tag.'),
    kind: stringFlag('KIND', 'list: only `query` or `session`.'),
    status: stringFlag(
      'STATUS',
      'list: only running, succeeded, failed, cancelled or closed sessions.',
    ),
    since: stringFlag('DATE', 'list: created on or after DATE (YYYY-MM-DD or ISO time, UTC).'),
    until: stringFlag('DATE', 'list: created before the end of DATE (or before an ISO time).'),
    'min-cost': stringFlag('USD', 'list: cost at least USD.'),
    'max-cost': stringFlag('USD', 'list: cost at most USD.'),
    search: stringFlag('TEXT', 'list: the first prompt contains TEXT (ignoring case).'),
    limit: integerFlag('N', 'list: at most N sessions, newest first (default 50).', {
      min: 1,
      max: 10_000,
    }),
    offset: integerFlag('N', 'list: skip the first N matches (default 0).', { min: 0 }),
    'older-than': stringFlag('AGE', 'cleanup: remove sessions last written AGE ago (30d, 12h).'),
    json: booleanFlag('list, show: print JSON instead of a table.'),
  },
} as const satisfies AnyCommandSpec;

type SessionsFlags = typeof sessionsCommandSpec.flags;
type Values = FlagValues<SessionsFlags>;
type Action = 'list' | 'show' | 'rm' | 'cleanup';

/** The flags each action takes besides `--store`. */
const ACTION_FLAGS: Readonly<Record<Action, readonly (keyof SessionsFlags)[]>> = {
  list: [
    'tag',
    'kind',
    'status',
    'since',
    'until',
    'min-cost',
    'max-cost',
    'search',
    'limit',
    'offset',
    'json',
  ],
  show: ['json'],
  rm: [],
  cleanup: ['older-than'],
};

const KINDS = ['query', 'session'] as const;
const STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'closed'] as const;

/** The list filter from the flags; problems (one line each, naming the flag) go to `problems`. */
function filterOf(values: Values, problems: string[]): SessionFilter {
  /** A flag's parsed value: the parser returns the value, or the problem as a string. */
  const number = (
    raw: string | undefined,
    parse: (raw: string) => number | string,
  ): number | undefined => {
    if (raw === undefined) return undefined;
    const parsed = parse(raw);
    if (typeof parsed === 'number') return parsed;
    problems.push(parsed);
    return undefined;
  };
  const oneOf = <T extends string>(
    flag: string,
    raw: string | undefined,
    allowed: readonly T[],
  ): T | undefined => {
    if (raw === undefined || (allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push(`--${flag}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
    return undefined;
  };
  const filter = {
    tag: values.tag,
    search: values.search,
    kind: oneOf('kind', values.kind, KINDS),
    status: oneOf('status', values.status, STATUSES),
    since: number(values.since, (raw) => parseDateFlag('since', raw)),
    until: number(values.until, (raw) => parseDateFlag('until', raw, { endOfDay: true })),
    minCostUsd: number(values['min-cost'], (raw) => parseCostFlag('min-cost', raw)),
    maxCostUsd: number(values['max-cost'], (raw) => parseCostFlag('max-cost', raw)),
    limit: values.limit ?? 50,
    offset: values.offset ?? 0,
  };
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    problems.push(
      `--since ${values.since} is not before --until ${values.until}: nothing can match`,
    );
  }
  // Absent flags are left out: the filter is strict about its keys, not their presence.
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}

/** Problems of the action and its operands and flags, before anything is opened. */
function checkAction(action: string | undefined, operands: string[], values: Values): string[] {
  const actions = Object.keys(ACTION_FLAGS);
  if (action === undefined) return [`give an action: ${actions.join(', ')}`];
  if (!Object.hasOwn(ACTION_FLAGS, action)) {
    const suggestion = didYouMean(action, actions);
    return [
      `unknown action \`${action}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; ` +
        `expected one of ${actions.join(', ')}`,
    ];
  }
  const problems: string[] = [];
  const allowed = ACTION_FLAGS[action as Action];
  for (const flag of Object.keys(values) as (keyof SessionsFlags)[]) {
    if (flag !== 'store' && !allowed.includes(flag)) {
      problems.push(`--${flag}: not a flag of \`sessions ${action}\``);
    }
  }
  const ids = operands.length;
  if (action === 'show' && ids !== 1)
    problems.push(`\`sessions show\` takes one session id, got ${ids}`);
  if (action === 'rm' && ids === 0) problems.push('`sessions rm` takes one or more session ids');
  if ((action === 'list' || action === 'cleanup') && ids > 0) {
    problems.push(`\`sessions ${action}\` takes no operand, got ${JSON.stringify(operands[0])}`);
  }
  if (action === 'cleanup' && values['older-than'] === undefined) {
    problems.push('`sessions cleanup` needs --older-than AGE, e.g. --older-than 30d');
  }
  return problems;
}

/**
 * `claude-actors sessions list|show|rm|cleanup`: finds and manages the sessions a runtime
 * recorded in a store (`createRuntime({ store })`). Reads an existing store only: a missing
 * file is an error, never created.
 *
 * @returns 0 when done; 1 when a session to show or remove is not in the store or the store
 *   failed; 2 for bad usage (an unknown action or flag, a bad date, cost or age) or a store
 *   file that does not exist.
 */
export async function sessionsCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine<SessionsFlags>>;
  try {
    parsed = parseCommandLine(sessionsCommandSpec, args);
  } catch (error) {
    return writeProblems(io.stderr, describeError(error), sessionsCommandSpec);
  }
  if (parsed.help) {
    io.stdout.write(commandHelp(sessionsCommandSpec));
    return EXIT_CODES.ok;
  }
  const [action, ...operands] = parsed.operands;
  const { values } = parsed;
  const problems = checkAction(action, operands, values);
  // Every problem at once: the values are checked even when a flag is misplaced.
  const filter = action === 'list' ? filterOf(values, problems) : {};
  const olderThanMs =
    action === 'cleanup' && values['older-than'] !== undefined
      ? parseDurationFlag('older-than', values['older-than'])
      : 0;
  if (typeof olderThanMs === 'string') problems.push(olderThanMs);
  if (problems.length > 0) return writeProblems(io.stderr, problems, sessionsCommandSpec);

  const path = values.store ?? DEFAULT_STORE_FILE;
  if (!existsSync(path)) {
    // `claude-actors run` journals each plan's run in its own output folder.
    const runs = values.store ? [] : runStores(dirname(path));
    return writeProblems(io.stderr, [
      `no store at ${path}${values.store ? '' : ' (the default; give --store FILE)'}: ` +
        'sessions are recorded by a runtime created with a store' +
        (runs.length > 0 ? `; the stores of runs here: ${runs.join(', ')}` : ''),
    ]);
  }
  let store: Store | undefined;
  try {
    store = openSqliteStore(path);
    switch (action as Action) {
      case 'list':
        return await list(store, filter, values.json === true, path, io);
      case 'show':
        return await show(store, operands[0]!, values.json === true, path, io);
      case 'rm':
        return await remove(store, operands, path, io);
      default:
        return await cleanup(store, Date.now() - (olderThanMs as number), io);
    }
  } catch (error) {
    writeProblems(io.stderr, describeError(error));
    return EXIT_CODES.failed;
  } finally {
    await store?.close();
  }
}

async function list(
  store: Store,
  filter: SessionFilter,
  json: boolean,
  path: string,
  io: CommandIo,
): Promise<number> {
  const page = await store.sessions.list(filter);
  if (json) {
    io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    return EXIT_CODES.ok;
  }
  if (page.sessions.length > 0) io.stdout.write(`${sessionsTable(page.sessions)}\n`);
  const from = page.sessions.length > 0 ? (filter.offset ?? 0) + 1 : 0;
  const to = (filter.offset ?? 0) + page.sessions.length;
  io.stdout.write(
    page.total === 0
      ? `no sessions match (store: ${path})\n`
      : `${from}-${to} of ${page.total} session(s) (store: ${path})\n`,
  );
  return EXIT_CODES.ok;
}

async function show(
  store: Store,
  id: string,
  json: boolean,
  path: string,
  io: CommandIo,
): Promise<number> {
  const record = await store.sessions.get(id);
  if (!record) {
    writeProblems(io.stderr, [`no session \`${id}\` in the store ${path}`]);
    return EXIT_CODES.failed;
  }
  io.stdout.write(json ? `${JSON.stringify(record, null, 2)}\n` : `${sessionDetails(record)}\n`);
  return EXIT_CODES.ok;
}

async function remove(store: Store, ids: string[], path: string, io: CommandIo): Promise<number> {
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    if (await store.sessions.delete(id)) io.stdout.write(`removed ${id}\n`);
    else missing.push(`no session \`${id}\` in the store ${path}`);
  }
  if (missing.length === 0) return EXIT_CODES.ok;
  writeProblems(io.stderr, missing);
  return EXIT_CODES.failed;
}

async function cleanup(store: Store, olderThan: number, io: CommandIo): Promise<number> {
  const removed = await store.sessions.cleanup({ olderThan });
  io.stdout.write(
    `removed ${removed} session(s) last written before ${new Date(olderThan).toISOString()}\n`,
  );
  return EXIT_CODES.ok;
}

/** The `store.db` of each run folder under `dir` (`claude-actors run` writes one per plan). */
function runStores(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'store.db')))
      .map((entry) => join(dir, entry.name, 'store.db'))
      .sort();
  } catch {
    return [];
  }
}
