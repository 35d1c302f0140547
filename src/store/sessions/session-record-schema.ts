import { z } from 'zod';
import { redactSecrets } from '../../core/redaction/redact-secrets.js';
import { validate } from '../../core/validation/validate.js';
import type { SessionRecord } from './session-record.js';

/**
 * How many characters of the first prompt a session record keeps (after redaction): enough to
 * recognise and search a prompt, bounded so a prompt with a pasted file does not bloat the
 * store.
 */
export const FIRST_PROMPT_MAX_LENGTH = 500;

const count = z.number().int().nonnegative();
const time = z.number().int().nonnegative();

/** A session record as `SessionStore.put` accepts it. */
export const SessionRecordSchema = z.strictObject({
  id: z.string().min(1),
  kind: z.enum(['query', 'session']),
  // Whatever ids and tags the caller gave its queries: a record is never lost over them.
  key: z.string(),
  tags: z.array(z.string()).readonly(),
  model: z.string().optional(),
  cwd: z.string().optional(),
  createdAt: time,
  updatedAt: time,
  turns: count,
  costUsd: z.number().nonnegative(),
  tokens: z.strictObject({
    inputTokens: count,
    outputTokens: count,
    cacheReadInputTokens: count,
    cacheCreationInputTokens: count,
  }),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'closed']),
  firstPrompt: z.string(),
  errorCode: z.string().optional(),
});

/** The first prompt as a record keeps it: secrets redacted, then cut to the maximum length. */
export function storedPrompt(text: string): string {
  // Redact before cutting: a secret cut in half would no longer match its pattern.
  const redacted = redactSecrets(text);
  return redacted.length <= FIRST_PROMPT_MAX_LENGTH
    ? redacted
    : `${redacted.slice(0, FIRST_PROMPT_MAX_LENGTH - 1)}…`;
}

/**
 * Validates a record for the store and returns the copy to keep: tags deduplicated and
 * sorted, the first prompt redacted and cut.
 *
 * @throws {@link InvalidOptionsError} naming the field and the value.
 */
export function normalizeSessionRecord(input: SessionRecord): SessionRecord {
  const record = validate(SessionRecordSchema, input, { what: 'session record field' });
  return {
    ...record,
    model: record.model,
    cwd: record.cwd,
    errorCode: record.errorCode,
    tags: [...new Set(record.tags)].sort(),
    tokens: { ...record.tokens },
    firstPrompt: storedPrompt(record.firstPrompt),
  };
}
