import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearKnownSecrets,
  registerOptionSecrets,
  scrubKnownSecrets,
} from '../../../src/core/redaction/secret-registry.js';

beforeEach(() => clearKnownSecrets());

describe('registerOptionSecrets with managedSettings', () => {
  it('registers every string under a secret-looking key, at any depth', () => {
    registerOptionSecrets({
      managedSettings: {
        env: { GITHUB_TOKEN: 'gh-canary-1', EDITOR: 'vim-editor' },
        vault: { credentials: [{ value: 'vault-canary-2' }, 'vault-canary-3'] },
        permissions: { allow: ['Bash(ls)'] },
        model: 'claude-sonnet',
      },
    });
    expect(scrubKnownSecrets('gh-canary-1 vault-canary-2 vault-canary-3')).toBe(
      '[redacted] [redacted] [redacted]',
    );
    // Ordinary settings stay readable.
    expect(scrubKnownSecrets('vim-editor Bash(ls) claude-sonnet')).toBe(
      'vim-editor Bash(ls) claude-sonnet',
    );
  });

  it('registers an Authorization header inside managedSettings, as in MCP configs', () => {
    registerOptionSecrets({
      managedSettings: { mcp: { remote: { headers: { Authorization: 'Bearer hdr-canary' } } } },
    });
    expect(scrubKnownSecrets('sent Bearer hdr-canary')).toBe('sent [redacted]');
  });

  it('ignores a managedSettings that is not an object', () => {
    registerOptionSecrets({ managedSettings: 'not-settings-at-all' });
    expect(scrubKnownSecrets('not-settings-at-all')).toBe('not-settings-at-all');
  });
});
