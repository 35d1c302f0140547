import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecutableNotFoundError } from '../../src/process/errors/executable-not-found-error.js';
import { resolveExecutable } from '../../src/process/spawn/resolve-executable.js';

const dir = mkdtempSync(join(tmpdir(), 'resolve-'));
const fake = join(dir, 'claude');
writeFileSync(fake, '#!/bin/sh\n');
chmodSync(fake, 0o755);
const notExecutable = join(dir, 'plain');
writeFileSync(notExecutable, '');
const emptyDir = mkdtempSync(join(tmpdir(), 'nowhere-'));

describe('resolveExecutable', () => {
  it('prefers the explicit option over everything', () => {
    expect(resolveExecutable({ executable: fake, env: { CLAUDE_ACTORS_CLI: '/other' } })).toBe(
      fake,
    );
  });

  it('then the CLAUDE_ACTORS_CLI environment variable', () => {
    expect(resolveExecutable({ env: { CLAUDE_ACTORS_CLI: fake } })).toBe(fake);
  });

  it('then @anthropic-ai/claude-code in node_modules', () => {
    expect(resolveExecutable({ env: { PATH: dir } })).toMatch(
      /@anthropic-ai\/claude-code.*claude(\.exe)?$/,
    );
  });

  it('then claude on PATH, when node_modules has none', () => {
    expect(
      resolveExecutable({
        env: { PATH: `${emptyDir}:${dir}` },
        resolveFrom: join(emptyDir, 'x.js'),
      }),
    ).toBe(fake);
  });

  it('does not fall through when an explicit choice is wrong', () => {
    expect(() => resolveExecutable({ executable: notExecutable })).toThrow(
      /executable option .*plain \(not an executable file\)/,
    );
  });

  it('lists every place it tried when nothing is found', () => {
    let error: unknown;
    try {
      resolveExecutable({ env: { PATH: emptyDir }, resolveFrom: join(emptyDir, 'x.js') });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExecutableNotFoundError);
    expect((error as ExecutableNotFoundError).tried).toEqual([
      '@anthropic-ai/claude-code in node_modules (not installed)',
      '`claude` on PATH',
    ]);
    expect((error as Error).message).toContain('npm install @anthropic-ai/claude-code');
  });
});
