import { beforeEach, describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../src/core/redaction/redact-secrets.js';
import { clearKnownSecrets } from '../../../src/core/redaction/secret-registry.js';
import { parseQueryOptions } from '../../../src/machines/query/options/parse-options.js';

describe('MCP server credentials', () => {
  beforeEach(() => clearKnownSecrets());

  it.each([
    [
      'mcpServers env',
      { mcpServers: { gh: { command: 'gh-mcp', env: { GITHUB_TOKEN: 'canary-mcp-env-0a1b' } } } },
      'canary-mcp-env-0a1b',
    ],
    [
      'mcpConfig headers',
      {
        mcpConfig: {
          mcpServers: {
            web: {
              type: 'http',
              url: 'http://x',
              headers: { Authorization: 'Bearer-canary-mcp-hdr' },
            },
          },
        },
      },
      'Bearer-canary-mcp-hdr',
    ],
    [
      'a JSON mcpConfig',
      {
        mcpConfig: [
          JSON.stringify({
            mcpServers: { s: { command: 'x', env: { API_SECRET: 'canary-mcp-json-9f' } } },
          }),
        ],
      },
      'canary-mcp-json-9f',
    ],
  ])('are scrubbed once options with %s are parsed', (_name, options, canary) => {
    parseQueryOptions(options);
    expect(redactSecrets(`the server said ${canary}`)).toBe('the server said [redacted]');
  });

  it('leaves ordinary MCP settings alone', () => {
    parseQueryOptions({
      mcpServers: { s: { command: 'node-server', env: { HOME: '/home/someone' } } },
    });
    expect(redactSecrets('node-server in /home/someone')).toBe('node-server in /home/someone');
  });
});
