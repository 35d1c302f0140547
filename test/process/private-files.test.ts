import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { privateCliArgs } from '../../src/machines/query/options/private-cli-args.js';
import { acquirePrivateFiles, privateFileFor } from '../../src/process/spawn/private-files.js';

describe('privateCliArgs', () => {
  it('moves inline JSON of --mcp-config and --settings into files and keeps paths and other flags', () => {
    const mcp = '{"mcpServers":{"t":{"command":"x","env":{"TOKEN":"secret"}}}}';
    const settings = '{"env":{"API_TOKEN":"secret"}}';
    const { args, privateFiles } = privateCliArgs([
      '-p',
      '--model',
      'sonnet',
      '--mcp-config',
      './servers.json',
      mcp,
      '--settings',
      settings,
      '--agents',
      '{"reviewer":{"prompt":"review"}}',
    ]);
    expect(privateFiles.map((f) => f.content)).toEqual([mcp, settings]);
    expect(args).toEqual([
      '-p',
      '--model',
      'sonnet',
      '--mcp-config',
      './servers.json',
      privateFiles[0]!.path,
      '--settings',
      privateFiles[1]!.path,
      '--agents',
      '{"reviewer":{"prompt":"review"}}',
    ]);
    expect(args.join(' ')).not.toContain('secret');
  });

  it('gives equal contents one path, so equal queries keep equal argv', () => {
    expect(privateFileFor('{"a":1}').path).toBe(privateFileFor('{"a":1}').path);
    expect(privateFileFor('{"a":1}').path).not.toBe(privateFileFor('{"a":2}').path);
  });
});

describe('acquirePrivateFiles', () => {
  it('writes 0600 files in a 0700 folder and removes each when its last user is done', () => {
    const file = privateFileFor('{"shared":true}');
    const first = acquirePrivateFiles([file]);
    const second = acquirePrivateFiles([file]);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file.path)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file.path, 'utf8')).toBe('{"shared":true}');
    first();
    first();
    expect(existsSync(file.path)).toBe(true);
    second();
    expect(existsSync(file.path)).toBe(false);
  });
});
