import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { findCredentials, homeOf } from '../../src/cli/find-credentials.js';
import { preflight } from '../../src/cli/preflight.js';

// `os.homedir()` is where the CLI looks when HOME is unset (Windows): a temp folder here,
// never the real home.
const fakeOsHome = vi.hoisted(() => ({ path: '' }));
vi.mock('node:os', async (importOriginal) => {
  const os = await importOriginal<typeof import('node:os')>();
  return { ...os, homedir: () => fakeOsHome.path };
});

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
fakeOsHome.path = temp('preflight-os-home-');

/** Writes `content` to `dir/...path`, creating the folders on the way. */
function put(dir: string, path: string[], content: unknown): string {
  const file = join(dir, ...path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
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
  const places = { home, managedSettings: [] };

  it.each([
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_AUTH_TOKEN',
    'CLAUDE_CODE_OAUTH_TOKEN',
  ])('finds %s, by name only', async (name) => {
    expect(await findCredentials([{ [name]: 'sk-secret-value' }], places)).toBe(name);
  });

  it('finds a cloud provider switch, but not one turned off', async () => {
    expect(await findCredentials([{ CLAUDE_CODE_USE_BEDROCK: '1' }], places)).toBe(
      'CLAUDE_CODE_USE_BEDROCK',
    );
    expect(await findCredentials([{ CLAUDE_CODE_USE_VERTEX: '0' }], places)).toBeUndefined();
  });

  it('finds the login file of claude /login, also under CLAUDE_CONFIG_DIR', async () => {
    const withLogin = temp('preflight-login-');
    mkdirSync(join(withLogin, '.claude'));
    writeFileSync(join(withLogin, '.claude', '.credentials.json'), '{}');
    expect(await findCredentials([{}], { home: withLogin, managedSettings: [] })).toBe(
      join(withLogin, '.claude', '.credentials.json'),
    );
    const config = temp('preflight-config-');
    writeFileSync(join(config, '.credentials.json'), '{}');
    expect(await findCredentials([{ CLAUDE_CONFIG_DIR: config }], places)).toBe(
      join(config, '.credentials.json'),
    );
  });

  it('finds an apiKeyHelper in settings.json', async () => {
    const withHelper = temp('preflight-helper-');
    mkdirSync(join(withHelper, '.claude'));
    writeFileSync(join(withHelper, '.claude', 'settings.json'), '{"apiKeyHelper":"pass key"}');
    expect(await findCredentials([{}], { home: withHelper, managedSettings: [] })).toMatch(
      /^apiKeyHelper in /,
    );
  });

  it('finds an apiKeyHelper in the project settings of the folder the CLI runs in', async () => {
    for (const name of ['settings.json', 'settings.local.json']) {
      const project = temp('preflight-project-');
      const file = put(project, ['.claude', name], { apiKeyHelper: '~/bin/key' });
      expect(await findCredentials([{}], { ...places, cwds: [project] })).toBe(
        `apiKeyHelper in ${file}`,
      );
    }
  });

  it('finds an apiKeyHelper in the managed settings', async () => {
    const managed = put(temp('preflight-managed-'), ['managed-settings.json'], {
      apiKeyHelper: 'vault read key',
    });
    expect(await findCredentials([{}], { home, managedSettings: [managed] })).toBe(
      `apiKeyHelper in ${managed}`,
    );
  });

  it.each([
    ['ANTHROPIC_API_KEY', 'sk-ant-secret-value'],
    ['ANTHROPIC_AUTH_TOKEN', 'secret-token'],
    ['CLAUDE_CODE_USE_BEDROCK', '1'],
  ])('finds %s in the env block of a settings.json, by name only', async (name, value) => {
    const withEnv = temp('preflight-settings-env-');
    const file = put(withEnv, ['.claude', 'settings.json'], { env: { [name]: value } });
    const found = await findCredentials([{}], { home: withEnv, managedSettings: [] });
    expect(found).toBe(`${name} in the env of ${file}`);
    expect(found).not.toContain(value === '1' ? 'sk-' : value);
  });

  it('finds nothing in settings without credentials, turned-off switches or bad JSON', async () => {
    const project = temp('preflight-project-');
    put(project, ['.claude', 'settings.json'], { env: { CLAUDE_CODE_USE_VERTEX: '0', FOO: 'x' } });
    put(project, ['.claude', 'settings.local.json'], '{ not json');
    const managed = put(temp('preflight-managed-'), ['m.json'], { apiKeyHelper: ' ', env: 3 });
    expect(
      await findCredentials([{}], { home, cwds: [project], managedSettings: [managed] }),
    ).toBeUndefined();
  });

  it('takes the home from HOME, else from os.homedir() (Windows, where HOME is unset)', () => {
    expect(homeOf({ HOME: '/somewhere' })).toBe('/somewhere');
    expect(homeOf({})).toBe(fakeOsHome.path);
    expect(homeOf({ HOME: ' ' })).toBe(fakeOsHome.path);
  });

  it('finds nothing with an empty key and no login', async () => {
    expect(await findCredentials([{ ANTHROPIC_API_KEY: ' ' }], places)).toBeUndefined();
  });
});

describe('preflight', () => {
  const cwd = temp('preflight-cwd-');
  const noCredentials = { HOME: temp('preflight-empty-home-') };
  // Hermetic: no managed settings of this machine, and not the macOS leniency.
  const linux = { platform: 'linux', managedSettings: [] } as const;

  it('passes a simulated run without credentials and a live run with them', async () => {
    expect(await preflight({ live: false, env: noCredentials, cwd, outputDir: 'out' })).toEqual([]);
    const env = { ...noCredentials, ANTHROPIC_API_KEY: 'sk-ant-secret' };
    expect(await preflight({ live: true, env, cwd, ...linux })).toEqual([]);
  });

  it('counts a key the plan hands to the CLI through its env option, for every task', async () => {
    const tasks = [
      { id: 'a', prompt: 'x' },
      { id: 'b', prompt: 'y', options: { env: { CLAUDE_CODE_OAUTH_TOKEN: 't' } } },
    ];
    const plan = { defaults: { env: { ANTHROPIC_AUTH_TOKEN: 't' } }, tasks };
    expect(await preflight({ live: true, plan, env: noCredentials, cwd, ...linux })).toEqual([]);
    const [problem] = await preflight({
      live: true,
      plan: { tasks },
      env: noCredentials,
      cwd,
      ...linux,
    });
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
      ...linux,
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

  it('counts a login in the os.homedir() folder when HOME is unset', async () => {
    const problems = await preflight({ live: true, env: {}, cwd, ...linux });
    expect(problems).toEqual([expect.stringMatching(/^--live: no credentials/)]);
    put(fakeOsHome.path, ['.claude', '.credentials.json'], '{}');
    expect(await preflight({ live: true, env: {}, cwd, ...linux })).toEqual([]);
  });

  it('counts an apiKeyHelper in the project settings of the cwd or the plan defaults.cwd', async () => {
    const project = temp('preflight-project-');
    put(project, ['.claude', 'settings.local.json'], { apiKeyHelper: 'pass key' });
    const input = { live: true, env: noCredentials, ...linux };
    expect(await preflight({ ...input, cwd: project })).toEqual([]);
    const plan = { defaults: { cwd: project }, tasks: [{ id: 'a' }] };
    expect(await preflight({ ...input, cwd, plan })).toEqual([]);
    expect(await preflight({ ...input, cwd, plan: { tasks: [{ id: 'a' }] } })).toHaveLength(1);
  });

  it('on macOS, where a Keychain login cannot be seen, goes ahead with a one-line notice', async () => {
    const notices: string[] = [];
    const problems = await preflight({
      live: true,
      env: noCredentials,
      cwd,
      platform: 'darwin',
      managedSettings: [],
      notice: (line) => notices.push(line),
    });
    expect(problems).toEqual([]);
    expect(notices).toEqual([expect.stringMatching(/^--live: no credentials found .*Keychain/)]);
    expect(notices[0]).not.toContain('\n');
  });

  it('says nothing on macOS when credentials are found', async () => {
    const notice = vi.fn();
    const env = { ...noCredentials, ANTHROPIC_API_KEY: 'sk-ant-secret' };
    expect(
      await preflight({ live: true, env, cwd, platform: 'darwin', managedSettings: [], notice }),
    ).toEqual([]);
    expect(notice).not.toHaveBeenCalled();
  });
});

describe('preflight of a simulated run', () => {
  const cwd = temp('preflight-sim-cwd-');
  const secret = 'sk-ant-do-not-print-me';

  it.each([
    ['ANTHROPIC_BASE_URL', 'https://api.anthropic.com'],
    ['ANTHROPIC_API_KEY', secret],
    ['ANTHROPIC_AUTH_TOKEN', secret],
    ['CLAUDE_CODE_OAUTH_TOKEN', secret],
    ['CLAUDE_CODE_USE_BEDROCK', '1'],
    ['CLAUDE_CODE_USE_VERTEX', 'true'],
    ['CLAUDE_CODE_USE_FOUNDRY', '1'],
  ])('refuses a task env that sets %s, naming the task and variable, not the value', async (name, value) => {
    const plan = {
      tasks: [
        { id: 'a', prompt: 'x' },
        { id: 'b', prompt: 'y', options: { env: { [name]: value, FOO: 'bar' } } },
      ],
    };
    const problems = await preflight({ live: false, plan, cwd });
    expect(problems).toEqual([
      `task \`b\`: sets env.${name}, which would send this simulated run to a real API: ` +
        'add --live to run against Claude, or remove them to use the built-in simulator',
    ]);
    expect(problems.join('\n')).not.toContain(value);
  });

  it('refuses plan defaults that set them, every variable in one line', async () => {
    const plan = {
      defaults: {
        env: { ANTHROPIC_BASE_URL: 'https://api.anthropic.com', CLAUDE_CODE_USE_BEDROCK: '1' },
      },
      tasks: [{ id: 'a', prompt: 'x' }],
    };
    expect(await preflight({ live: false, plan, cwd })).toEqual([
      expect.stringMatching(
        /^plan defaults: sets env.ANTHROPIC_BASE_URL, env.CLAUDE_CODE_USE_BEDROCK, .*--live/,
      ),
    ]);
  });

  it('refuses a baseUrl option of the defaults or a task', async () => {
    const plan = {
      defaults: { baseUrl: 'https://api.anthropic.com' },
      tasks: [{ id: 'a', prompt: 'x', options: { baseUrl: 'https://gateway.example' } }],
    };
    const problems = await preflight({ live: false, plan, cwd });
    expect(problems).toEqual([
      expect.stringMatching(/^plan defaults: sets baseUrl, .*--live/),
      expect.stringMatching(/^task `a`: sets baseUrl, .*--live/),
    ]);
    expect(problems.join('\n')).not.toContain('https://');
  });

  it('refuses a plan that points the CLI at other settings (HOME, CLAUDE_CONFIG_DIR, settingSources)', async () => {
    const plan = {
      defaults: { env: { HOME: '/home/someone' } },
      tasks: [
        { id: 'a', prompt: 'x', options: { env: { CLAUDE_CONFIG_DIR: '/etc/claude' } } },
        { id: 'b', prompt: 'x', options: { settingSources: ['project'] } },
        { id: 'c', prompt: 'x', options: { settingSources: [] } },
      ],
    };
    const problems = await preflight({ live: false, plan, cwd });
    expect(problems).toEqual([
      expect.stringMatching(/^plan defaults: sets env.HOME, .*--live/),
      expect.stringMatching(/^task `a`: sets env.CLAUDE_CONFIG_DIR, .*--live/),
      expect.stringMatching(/^task `b`: sets settingSources, .*--live/),
    ]);
    expect(problems.join('\n')).not.toContain('/home/someone');
    expect(
      await preflight({
        live: true,
        plan: { tasks: plan.tasks },
        cwd,
        env: { ANTHROPIC_API_KEY: 'k' },
      }),
    ).toEqual([]);
  });

  it('reports them with the other problems', async () => {
    const plan = {
      tasks: [
        { id: 'a', prompt: 'x', worktree: true, options: { env: { ANTHROPIC_API_KEY: secret } } },
      ],
    };
    const problems = await preflight({ live: false, plan, cwd });
    expect(problems).toEqual([
      expect.stringMatching(/^task `a`: sets env.ANTHROPIC_API_KEY, /),
      expect.stringMatching(/^task\(s\) `a` use `worktree: true`, but /),
    ]);
  });

  it('accepts other variables and provider switches turned off', async () => {
    const env = { FOO: 'bar', CLAUDE_CODE_USE_BEDROCK: '0', CLAUDE_CODE_USE_VERTEX: '' };
    const plan = { defaults: { env }, tasks: [{ id: 'a', prompt: 'x', options: { env } }] };
    expect(await preflight({ live: false, plan, cwd })).toEqual([]);
  });

  it('accepts them with --live, where they are the point', async () => {
    const env = { ANTHROPIC_BASE_URL: 'https://gateway.example', ANTHROPIC_API_KEY: secret };
    const plan = { tasks: [{ id: 'a', prompt: 'x', options: { env } }] };
    expect(
      await preflight({ live: true, plan, cwd, env: {}, platform: 'linux', managedSettings: [] }),
    ).toEqual([]);
  });
});
