import { type ChildProcess, execFile, execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryCommand } from '../../src/cli/query-command.js';
import { runCommand } from '../../src/cli/run-command.js';
import { captureIo } from '../cli/capture.js';
import { eventually, useSimulator } from '../helpers/integration.js';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
// Resolved here: the temporary folders the command runs in have no node_modules.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs the command line as a user would, in a temporary folder, without a TTY. */
async function cli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, main, ...args], {
      cwd,
      env: { ...env, NODE_OPTIONS: '' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * Pids of the live processes working in `dir` (the command, its helpers, the CLIs it started
 * there); only those whose command line matches `argv`, if given.
 */
function processesIn(dir: string, argv?: RegExp): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) return [];
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return [];
      if (readlinkSync(`/proc/${pid}/cwd`) !== dir) return [];
      if (argv && !argv.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) return [];
      return [pid];
    } catch {
      return [];
    }
  });
}

/** The claude CLI's command line. */
const CLAUDE = /claude/;

/** A plan whose first task streams for seconds (the simulator echoes a long prompt slowly). */
function slowPlan(dir: string): void {
  writeFileSync(
    join(dir, 'plan.json'),
    JSON.stringify({
      name: 'slow',
      tasks: [
        { id: 'long', prompt: 'words '.repeat(400) },
        { id: 'later', prompt: 'x', dependsOn: ['long'] },
      ],
    }),
  );
}

/** A slow run, started as a user would; resolves once a CLI of its first task is running. */
async function startSlowRun(
  prefix: string,
  args: string[] = [],
): Promise<{
  dir: string;
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<ExitStatus>;
}> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  slowPlan(dir);
  const child = execFile(process.execPath, ['--import', tsx, main, 'run', 'plan.json', ...args], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let stdout = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  const exited = new Promise<ExitStatus>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  expect(await eventually(() => stdout.includes('started   long'), 30_000)).toBe(true);
  // At least one CLI of its task works in the folder (besides the command and esbuild).
  expect(await eventually(() => processesIn(dir, CLAUDE).length >= 1, 10_000)).toBe(true);
  return { dir, child, stdout: () => stdout, exited };
}

interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

describe('the claude-actors command line (end to end, real CLI against the built-in simulator)', () => {
  it('runs a plan: progress lines, a summary table, the report files, exit code 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-run-'));
    writeFileSync(
      join(dir, 'plan.yaml'),
      'workers: 2\ntasks:\n  - id: a\n    prompt: first\n  - id: b\n    prompt: second\n    dependsOn: [a]\n',
    );
    const { code, stdout } = await cli(['run', 'plan.yaml'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/started\s+a on worker-/);
    expect(stdout).toMatch(/succeeded b in/);
    expect(stdout).toMatch(/2 succeeded, 0 failed, 0 skipped.* \$\d+\.\d{4} \(simulated\)\n/);
    // No --output: a default folder named after the plan file, said at the start and the end.
    const out = join('claude-actors-output', 'plan');
    expect(stdout.split('\n')[0]).toContain(`Outputs go to ${out}/`);
    expect(stdout).toContain(`Report: ${out}/report.json, outputs in ${out}/tasks/`);
    const report = JSON.parse(readFileSync(join(dir, out, 'report.json'), 'utf8'));
    expect(report.counts).toMatchObject({ succeeded: 2, total: 2 });
    expect(readFileSync(join(dir, out, 'tasks', 'b.md'), 'utf8')).toContain('second');
  });

  it('exits 1 when a task fails, reporting its dependents as skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-fail-'));
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({
        tasks: [
          { id: 'slow', prompt: 'too slow', timeoutMs: 50 },
          { id: 'after', prompt: 'needs slow', dependsOn: ['slow'] },
          { id: 'other', prompt: 'independent' },
        ],
      }),
    );
    const { code, stdout } = await cli(['run', 'plan.json', '--json'], dir);
    expect(code).toBe(1);
    const summary = JSON.parse(stdout);
    expect(summary.counts).toMatchObject({ succeeded: 1, failed: 1, skipped: 1 });
    expect(summary.tasks.find((t: { id: string }) => t.id === 'after').skippedBecause).toContain(
      'slow',
    );
  });

  it('runs prompt files as independent tasks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-prompts-'));
    writeFileSync(join(dir, 'one.md'), 'first prompt');
    writeFileSync(join(dir, 'two.md'), 'second prompt');
    const { code, stdout } = await cli(['run', 'one.md', 'two.md', '--max-parallel', '2'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/one\s+succeeded/);
    expect(stdout).toMatch(/two\s+succeeded/);
  });

  it('exits 2 for an invalid plan, showing where in the file the problem is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-bad-'));
    writeFileSync(
      join(dir, 'cycle.json'),
      JSON.stringify({ tasks: [{ id: 'a', prompt: 'x', dependsOn: ['a'] }] }),
    );
    const cycle = await cli(['run', 'cycle.json'], dir);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toMatch(/cycle/i);
    expect(cycle.stderr).toContain('\n    cycle.json:1:');
  });

  it('preflight: reports every problem together and exits 2 before running anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-preflight-'));
    writeFileSync(join(dir, 'file.txt'), 'not a folder');
    writeFileSync(
      join(dir, 'plan.yaml'),
      'tasks:\n  - id: edit\n    prompt: change things\n    worktree: true\n',
    );
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
    for (const name of Object.keys(env)) {
      if (/^(ANTHROPIC_|CLAUDE_CODE_OAUTH|CLAUDE_CONFIG_DIR|CLAUDE_CODE_USE_)/.test(name)) {
        delete env[name];
      }
    }
    const { code, stdout, stderr } = await cli(
      ['run', 'plan.yaml', '--live', '--output', 'file.txt/out'],
      dir,
      env,
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^claude-actors: --live: no credentials for the claude CLI: set ANTHROPIC_API_KEY/,
      ),
      expect.stringMatching(
        /^claude-actors: task\(s\) `edit` use `worktree: true`, but .* is not inside a git repository/,
      ),
      expect.stringMatching(
        /^claude-actors: output folder file\.txt\/out cannot be written: .*file\.txt is a file, not a folder/,
      ),
    ]);
  });

  it('plans from requirements into a plan file the run command accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-plan-'));
    const planned = await cli(
      ['plan', 'Write the intro. Write the conclusion.', '-o', 'plan.json'],
      dir,
    );
    expect(planned.code).toBe(0);
    expect(planned.stderr).toMatch(
      /^3 tasks for \d+ workers, 1 planning attempt\(s\), \$\d+\.\d{4} \(simulated;/,
    );
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(plan.tasks.map((t: { id: string }) => t.id)).toEqual(['part-1', 'part-2', 'summary']);
    expect((await cli(['run', 'plan.json'], dir)).code).toBe(0);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'on %s stops every CLI, still prints the summary and writes the report, and exits %i',
    async (signal, expected) => {
      const { dir, child, stdout, exited } = await startSlowRun('cli-int-', ['--output', 'out']);
      child.kill(signal);
      expect((await exited).code).toBe(expected);
      // The command waited for its CLIs; only tsx's esbuild may take a moment to notice.
      expect(processesIn(dir, CLAUDE)).toEqual([]);
      expect(await eventually(() => processesIn(dir).length === 0, 2_000)).toBe(true);
      expect(stdout()).toMatch(
        /0 succeeded, 0 failed, 1 skipped, 1 cancelled|0 succeeded, 0 failed, 0 skipped, 2 cancelled/,
      );
      const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
      expect(report.counts.succeeded).toBe(0);
    },
    60_000,
  );

  it('a second Ctrl-C still exits 130 and leaves no CLI behind', async () => {
    const { dir, child, exited } = await startSlowRun('cli-int2-');
    child.kill('SIGINT');
    // After the window in which a second signal counts as the same Ctrl-C (500 ms).
    await new Promise((resolve) => setTimeout(resolve, 550));
    child.kill('SIGINT');
    // The status a shell sees: a death by SIGINT (the second signal landing while the process
    // is already exiting) is 130 too.
    const { code, signal } = await exited;
    expect(signal === 'SIGINT' ? 130 : code).toBe(130);
    // Killed by the exit handler: gone as soon as the kernel has delivered the SIGKILL.
    expect(await eventually(() => processesIn(dir).length === 0, 2_000)).toBe(true);
  }, 60_000);

  it('one Ctrl-C delivered twice (the terminal and a wrapper such as tsx) stops gracefully', async () => {
    const { dir, child, stdout, exited } = await startSlowRun('cli-int3-');
    child.kill('SIGINT');
    // Apart, or the kernel may merge them into one pending signal.
    await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    expect((await exited).code).toBe(130);
    // Still the graceful path: the summary was printed.
    expect(stdout()).toMatch(/0 succeeded, 0 failed, \d+ skipped, \d+ cancelled/);
    expect(await eventually(() => processesIn(dir).length === 0, 2_000)).toBe(true);
  }, 60_000);
});

describe('the commands in process (real CLI against the simulator)', () => {
  const sim = useSimulator();

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('query labels its cost as simulated', async () => {
    const { io, out, err } = captureIo();
    expect(await queryCommand(['say hi'], io)).toBe(0);
    expect(out()).toContain('say hi');
    expect(err()).toMatch(/^succeeded · \d+ ms · 1 attempt\(s\) · \$\d+\.\d{6} \(simulated\)\n$/);
  });

  it('a run whose report cannot be written exits 1 (the run failed), not 2 (usage)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-report-'));
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ tasks: [{ id: 'a', prompt: 'hi' }] }));
    // A named pipe where the task's output goes: the folder is writable (preflight passes), the
    // report refuses the pipe after the run.
    mkdirSync(join(dir, 'out', 'tasks'), { recursive: true });
    execFileSync('mkfifo', [join(dir, 'out', 'tasks', 'a.md')]);
    const { io, err } = captureIo();
    expect(await runCommand([join(dir, 'plan.json'), '-o', join(dir, 'out')], io)).toBe(1);
    expect(err()).toMatch(/^claude-actors: .*not a regular file/m);
  });

  it('run --live (here the simulator posing as the real API) labels nothing as simulated', async () => {
    // What a live run gets from the user's environment: an endpoint and a key.
    for (const [name, value] of Object.entries(sim.env.options.env ?? {})) vi.stubEnv(name, value);
    const dir = mkdtempSync(join(tmpdir(), 'cli-live-'));
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ tasks: [{ id: 'a', prompt: 'hi' }] }));
    const { io, out } = captureIo();
    const code = await runCommand([join(dir, 'plan.json'), '--live', '-o', join(dir, 'out')], io);
    expect(code).toBe(0);
    expect(out()).toMatch(/^Running against Claude\. 1 tasks, 1 workers\./);
    expect(out()).toMatch(/1 succeeded, 0 failed, 0 skipped, 0 cancelled · .* \$\d+\.\d{4}\n/);
    expect(out()).not.toContain('simulated');
    expect(sim.env.simulator.requests.length).toBeGreaterThan(0);
  });
});
