import type { SessionRecord } from '../../../src/store/sessions/session-record.js';

const WORDS = ['migration', 'parser', 'test', 'README', 'release', 'refactor', 'schema', 'bug'];
const QUERY_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;

/**
 * `count` varied but reproducible session records (a fixed-seed generator) over about 30
 * days, for query tests and the benchmark.
 */
export function generatedSessions(count: number): SessionRecord[] {
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const start = Date.UTC(2026, 10, 1);
  return Array.from({ length: count }, (_, i) => {
    const createdAt = start + Math.floor((i / count) * 30 * 86_400_000);
    const kind = next() < 0.8 ? ('query' as const) : ('session' as const);
    const tags = [`team-${Math.floor(next() * 8)}`, ...(next() < 0.3 ? ['nightly'] : [])];
    return {
      id: `s-${String(i).padStart(5, '0')}-${Math.floor(next() * 1e6)}`,
      kind,
      key: `k-${i}`,
      tags,
      model: pick(['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5']),
      cwd: `/work/repo-${i % 5}`,
      createdAt,
      updatedAt: createdAt + Math.floor(next() * 3_600_000),
      turns: 1 + Math.floor(next() * 12),
      costUsd: Math.round(next() * 1e6) / 1e6,
      tokens: {
        inputTokens: Math.floor(next() * 1e5),
        outputTokens: Math.floor(next() * 1e4),
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
      },
      status: kind === 'session' ? pick(['closed', 'failed'] as const) : pick(QUERY_STATUSES),
      firstPrompt: `Please ${pick(WORDS)} the ${pick(WORDS)} for ticket ${i}`,
      errorCode: undefined,
    };
  });
}
