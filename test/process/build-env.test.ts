import { describe, expect, it } from 'vitest';
import { buildEnv } from '../../src/process/spawn/build-env.js';

const parent = {
  PATH: '/usr/bin',
  HOME: '/home/u',
  LANG: 'C.UTF-8',
  LC_ALL: 'C',
  ANTHROPIC_API_KEY: 'sk-ant-parent',
  CLAUDE_CODE_USE_BEDROCK: '1',
  AWS_REGION: 'eu-west-1',
  HTTPS_PROXY: 'http://proxy:3128',
  DATABASE_PASSWORD: 'hunter2',
  GITHUB_TOKEN: 'ghp_x',
  NODE_OPTIONS: '--inspect',
  RANDOM_APP_VAR: 'x',
};

describe('buildEnv', () => {
  it('passes only what the CLI needs from the host, not unrelated secrets', () => {
    expect(buildEnv({ parent })).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      ANTHROPIC_API_KEY: 'sk-ant-parent',
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'eu-west-1',
      HTTPS_PROXY: 'http://proxy:3128',
    });
  });

  it('passes the whole environment when asked, still without NODE_OPTIONS', () => {
    const env = buildEnv({ parent, inheritEnv: true });
    expect(env).toMatchObject({ DATABASE_PASSWORD: 'hunter2', RANDOM_APP_VAR: 'x' });
    expect(env).not.toHaveProperty('NODE_OPTIONS');
  });

  it('adds the caller variables last, and removes those set to undefined', () => {
    const env = buildEnv({
      parent,
      extra: { HOME: '/tmp/h', ANTHROPIC_API_KEY: undefined, X: '1' },
    });
    expect(env.HOME).toBe('/tmp/h');
    expect(env.X).toBe('1');
    expect(env).not.toHaveProperty('ANTHROPIC_API_KEY');
  });
});
