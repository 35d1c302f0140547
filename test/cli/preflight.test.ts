import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCredentials } from '../../src/cli/find-credentials.js';
import { preflight } from '../../src/cli/preflight.js';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const worktreePlan = {
  tasks: [
    { id: 'a', prompt: 'x', worktree: true },
    { id: 'b', prompt: 'y' },
  ],
};

function gitRepo(withCommit: boolean): string {
  const dir = temp('preflight-git-');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  if (withCommit) {
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'x');
  }
  return dir;
}

describe('findCredentials', () => {
  const home = temp('preflight-home-');

  it.each([
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_AUTH_TOKEN',
    'CLAUDE_CODE_OAUTH_TOKEN',
  ])('finds %s, by name only', async (name) => {
    expect(await findCredentials([{ [name]: 'sk-secret-value' }], home)).toBe(name);
  });

  it('finds a cloud provider switch, but not one turned off', async () => {
    expect(await findCredentials([{ CLAUDE_CODE_USE_BEDROCK: '1' }], home)).toBe(
      'CLAUDE_CODE_USE_BEDROCK',
    );
    expect(await findCredentials([{ CLAUDE_CODE_USE_VERTEX: '0' }], home)).toBeUndefined();
  });

  it('finds the login file of claude /login, also under CLAUDE_CONFIG_DIR', async () => {
    const withLogin = temp('preflight-login-');
    mkdirSync(join(withLogin, '.claude'));
    writeFileSync(join(withLogin, '.claude', '.credentials.json'), '{}');
    expect(await findCredentials([{}], withLogin)).toBe(
      join(withLogin, '.claude', '.credentials.json'),
    );
    const config = temp('preflight-config-');
    writeFileSync(join(config, '.credentials.json'), '{}');
    expect(await findCredentials([{ CLAUDE_CONFIG_DIR: config }], home)).toBe(
      join(config, '.credentials.json'),
    );
  });

  it('finds an apiKeyHelper in settings.json', async () => {
    const withHelper = temp('preflight-helper-');
    mkdirSync(join(withHelper, '.claude'));
    writeFileSync(join(withHelper, '.claude', 'settings.json'), '{"apiKeyHelper":"pass key"}');
    expect(await findCredentials([{}], withHelper)).toMatch(/^apiKeyHelper in /);
  });

  it('finds nothing with an empty key and no login', async () => {
    expect(await findCredentials([{ ANTHROPIC_API_KEY: ' ' }], home)).toBeUndefined();
  });
});

describe('preflight', () => {
  const cwd = temp('preflight-cwd-');
  const noCredentials = { HOME: temp('preflight-empty-home-') };

  it('passes a simulated run without credentials and a live run with them', async () => {
    expect(await preflight({ live: false, env: noCredentials, cwd, outputDir: 'out' })).toEqual([]);
    const env = { ...noCredentials, ANTHROPIC_API_KEY: 'sk-ant-secret' };
    expect(await preflight({ live: true, env, cwd })).toEqual([]);
  });

  it('counts a key the plan hands to the CLI through its env option, for every task', async () => {
    const tasks = [
      { id: 'a', prompt: 'x' },
      { id: 'b', prompt: 'y', options: { env: { CLAUDE_CODE_OAUTH_TOKEN: 't' } } },
    ];
    const plan = { defaults: { env: { ANTHROPIC_AUTH_TOKEN: 't' } }, tasks };
    expect(await preflight({ live: true, plan, env: noCredentials, cwd })).toEqual([]);
    const [problem] = await preflight({ live: true, plan: { tasks }, env: noCredentials, cwd });
    expect(problem).toMatch(/^--live: no credentials for the claude CLI of task\(s\) `a`: set /);
  });

  it('reports every problem together: credentials, worktrees, output folder', async () => {
    writeFileSync(join(cwd, 'file.txt'), 'x');
    const problems = await preflight({
      live: true,
      plan: worktreePlan,
      env: noCredentials,
      cwd,
      outputDir: 'file.txt/out',
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^--live: no credentials .*ANTHROPIC_API_KEY/);
    expect(problems[1]).toBe(
      `task(s) \`a\` use \`worktree: true\`, but ${cwd} is not inside a git repository: run from a git checkout, or drop \`worktree: true\``,
    );
    expect(problems[2]).toBe(
      `output folder file.txt/out cannot be written: ${join(cwd, 'file.txt')} is a file, not a folder (give another --output)`,
    );
  });

  it('accepts worktree tasks in a git repository with a commit, not in one without', async () => {
    expect(await preflight({ live: false, plan: worktreePlan, cwd: gitRepo(true) })).toEqual([]);
    const empty = gitRepo(false);
    expect(await preflight({ live: false, plan: worktreePlan, cwd: empty })).toEqual([
      `task(s) \`a\` use \`worktree: true\`, but the git repository at ${empty} has no commit yet to branch from`,
    ]);
  });

  it('checks the repository of the plan defaults.cwd', async () => {
    const repo = gitRepo(true);
    const plan = { ...worktreePlan, defaults: { cwd: repo } };
    expect(await preflight({ live: false, plan, cwd })).toEqual([]);
  });

  it('checks the folder of an output file, and that the file is not a folder', async () => {
    writeFileSync(join(cwd, 'plain.txt'), 'x');
    expect(await preflight({ live: false, cwd, outputFile: 'new/plan.json' })).toEqual([]);
    expect(await preflight({ live: false, cwd, outputFile: 'plain.txt/plan.json' })).toEqual([
      `output file plain.txt/plan.json cannot be written: ${join(cwd, 'plain.txt')} is a file, not a folder (give another --output)`,
    ]);
    expect(await preflight({ live: false, cwd, outputFile: '.' })).toEqual([
      'output file . cannot be written: it is a folder (give another --output)',
    ]);
  });

  it('accepts an output folder to be created under a writable one, or an existing one', async () => {
    expect(await preflight({ live: false, cwd, outputDir: 'a/b/c' })).toEqual([]);
    expect(await preflight({ live: false, cwd, outputDir: '.' })).toEqual([]);
  });
});
