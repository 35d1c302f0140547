import { NO_TOKENS, type SessionRecord } from '../../../src/store/sessions/session-record.js';

/** A valid record; `overrides` replace its fields. */
export function sessionRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: 'session-1',
    kind: 'query',
    key: 'query-1',
    tags: [],
    model: 'claude-sonnet-4-5',
    cwd: '/work/project',
    createdAt: Date.UTC(2026, 11, 1),
    updatedAt: Date.UTC(2026, 11, 1),
    turns: 1,
    costUsd: 0.01,
    tokens: NO_TOKENS,
    status: 'succeeded',
    firstPrompt: 'Summarise the changelog',
    errorCode: undefined,
    ...overrides,
  };
}
