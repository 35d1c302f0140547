import type { SessionRecord } from '../store/sessions/session-record.js';
import { formatCost, table } from './format.js';

/** `2026-12-03 12:40` (UTC). */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** The first prompt on one line, at most `width` characters. */
function oneLine(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/** The table `sessions list` prints: one row per session, newest first. */
export function sessionsTable(sessions: readonly SessionRecord[]): string {
  return table(
    ['ID', 'CREATED (UTC)', 'KIND', 'STATUS', 'TURNS', 'COST', 'TAGS', 'FIRST PROMPT'],
    sessions.map((s) => [
      s.id,
      formatTime(s.createdAt),
      s.kind,
      s.status,
      String(s.turns),
      formatCost(s.costUsd),
      s.tags.join(','),
      oneLine(s.firstPrompt, 48),
    ]),
  );
}

/** What `sessions show` prints: every field of one session, one per line. */
export function sessionDetails(s: SessionRecord): string {
  const rows: [string, string][] = [
    ['id', s.id],
    ['kind', s.kind],
    ['key', s.key],
    ['status', s.status + (s.errorCode ? ` (${s.errorCode})` : '')],
    ['model', s.model ?? '-'],
    ['cwd', s.cwd ?? '-'],
    ['tags', s.tags.join(', ') || '-'],
    ['created', `${formatTime(s.createdAt)} UTC`],
    ['updated', `${formatTime(s.updatedAt)} UTC`],
    ['turns', String(s.turns)],
    ['cost', formatCost(s.costUsd)],
    [
      'tokens',
      `${s.tokens.inputTokens} in, ${s.tokens.outputTokens} out, ` +
        `${s.tokens.cacheReadInputTokens} cache read, ${s.tokens.cacheCreationInputTokens} cache write`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    ...rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`),
    '',
    'first prompt:',
    s.firstPrompt,
  ].join('\n');
}
