import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearKnownSecrets,
  registerSecrets,
} from '../../../../src/core/redaction/secret-registry.js';
import { InvalidOptionsError } from '../../../../src/core/validation/invalid-options-error.js';
import { renderValue } from '../../../../src/core/validation/render-value.js';
import { parseQueryOptions } from '../../../../src/machines/query/options/parse-options.js';

/** Random-looking, so no 6-character piece of it appears in an error by chance. */
const CANARY = 'ghp_Qz7Vx3Kw9Jm2Lp8Rt4Yn6Hb1Fd5Gc0WsXe';

/** Every 6-character piece of the canary: none may show, wherever the rendering was cut. */
const pieces = Array.from({ length: CANARY.length - 5 }, (_, i) => CANARY.slice(i, i + 6));

function refusal(options: unknown): InvalidOptionsError {
  try {
    parseQueryOptions(options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error('expected the options to be refused');
}

/** Fails naming the first piece of the canary found in the error's message or issues. */
function expectNoPieceOf(error: InvalidOptionsError): void {
  const shown = `${error.message}\n${JSON.stringify(error.issues)}`;
  expect(pieces.filter((piece) => shown.includes(piece))).toEqual([]);
}

/** Paddings that put the 80-character cut before, inside and after the canary. */
const PADDINGS = Array.from({ length: 90 }, (_, n) => 'p'.repeat(n));

describe('secrets in refused Agent SDK options are redacted before the value is cut', () => {
  beforeEach(() => clearKnownSecrets());

  it.each<[string, (pad: string) => Record<string, unknown>]>([
    [
      'an mcpServers entry given as a JSON string',
      (pad) => ({
        mcpServers: {
          gh: JSON.stringify({ command: `npx${pad}`, env: { GITHUB_TOKEN: CANARY } }),
        },
      }),
    ],
    [
      'mcpServers given as a JSON string',
      (pad) => ({
        mcpServers: JSON.stringify({ gh: { command: `npx${pad}`, env: { GH_TOKEN: CANARY } } }),
      }),
    ],
    [
      'an mcpServers entry given as an array',
      (pad) => ({
        mcpServers: { gh: [{ command: `npx${pad}`, headers: { Authorization: CANARY } }] },
      }),
    ],
    [
      'a systemPrompt object with an extra key, its secret registered by `apiKey`',
      (pad) => ({
        apiKey: CANARY,
        systemPrompt: { type: 'custom', prompt: `hello ${pad}${CANARY}`, extra: 1 },
      }),
    ],
    [
      'a systemPrompt object with a secret-looking key',
      (pad) => ({ systemPrompt: { type: 'custom', prompt: `hi${pad}`, apiToken: CANARY } }),
    ],
    [
      'an outputFormat with a bad schema, its secret registered by `env`',
      (pad) => ({
        env: { MY_TOKEN: CANARY },
        outputFormat: { type: 'json_schema', schema: `not a schema ${pad}${CANARY}` },
      }),
    ],
    [
      'an outputFormat with a secret-looking key',
      (pad) => ({
        outputFormat: { type: 'json_schem', note: pad, headers: { 'x-api-key': CANARY } },
      }),
    ],
  ])('%s', (_name, options) => {
    for (const pad of PADDINGS) {
      const error = refusal(options(pad));
      expectNoPieceOf(error);
      expect(error.message).toMatch(/\[redacted\]|\.\.\.`/);
    }
  });

  it('is the repro of the review: the token does not show, the rest of the config does', () => {
    const token = 'ghp_SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET';
    const error = refusal({
      mcpServers: { gh: JSON.stringify({ command: 'npx', env: { GITHUB_TOKEN: token } }) },
    });
    expect(error.issues[0]?.path).toBe('mcpServers.gh');
    expect(error.message).not.toContain('ghp_');
    expect(error.message).not.toContain('SECRETSECRET');
    expect(error.issues[0]?.received).toContain('\\"command\\":\\"npx\\"');
    expect(error.issues[0]?.received).toContain('[redacted]');
  });
});

describe('renderValue', () => {
  beforeEach(() => clearKnownSecrets());

  it('scrubs a registered secret before cutting a long value', () => {
    registerSecrets([CANARY]);
    for (const pad of PADDINGS) {
      const rendered = renderValue({ note: `${pad}${CANARY}` });
      expect(pieces.filter((piece) => rendered.includes(piece))).toEqual([]);
    }
  });

  it('blanks strings under secret-looking keys, also inside JSON strings', () => {
    expect(renderValue({ env: { GITHUB_TOKEN: CANARY, HOME: '/h' } })).toBe(
      '`{"env":{"GITHUB_TOKEN":"[redacted]","HOME":"/h"}}` (object)',
    );
    expect(renderValue(JSON.stringify({ password: CANARY }))).toBe(
      '`"{\\"password\\":\\"[redacted]\\"}"` (string)',
    );
    expect(renderValue({ credentials: { user: CANARY } })).toBe(
      '`{"credentials":{"user":"[redacted]"}}` (object)',
    );
  });

  it('keeps numbers and other values under such keys, and JSON strings without secrets as given', () => {
    expect(renderValue({ maxTokens: 5 })).toBe('`{"maxTokens":5}` (object)');
    expect(renderValue('{ "a": 1 }')).toBe('`"{ \\"a\\": 1 }"` (string)');
  });
});
