import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
// Resolved here: the temporary folders the command runs in have no node_modules.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs the command line as a user would, in a temporary folder, without a TTY. */
async function cli(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, main, ...args], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the claude-actors command line (end to end, real CLI against the built-in simulator)', () => {
  it('runs a plan: progress lines, a summary table, the report files, exit code 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-run-'));
    writeFileSync(
      join(dir, 'plan.yaml'),
      'workers: 2\ntasks:\n  - id: a\n    prompt: first\n  - id: b\n    prompt: second\n    dependsOn: [a]\n',
    );
    const { code, stdout } = await cli(['run', 'plan.yaml', '--output', 'out'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/started\s+a on worker-/);
    expect(stdout).toMatch(/succeeded b in/);
    expect(stdout).toMatch(/2 succeeded, 0 failed, 0 skipped/);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    expect(report.counts).toMatchObject({ succeeded: 2, total: 2 });
    expect(readFileSync(join(dir, 'out', 'tasks', 'b.md'), 'utf8')).toContain('second');
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

  it('exits 2 with a clear message for bad usage and invalid plans', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-bad-'));
    writeFileSync(
      join(dir, 'cycle.json'),
      JSON.stringify({ tasks: [{ id: 'a', prompt: 'x', dependsOn: ['a'] }] }),
    );
    const cycle = await cli(['run', 'cycle.json'], dir);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toMatch(/cycle/i);
    const flag = await cli(['run', 'cycle.json', '--max-parallel', 'many'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--max-parallel');
    expect((await cli(['nope'], dir)).code).toBe(2);
  });

  it('plans from requirements into a plan file the run command accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-plan-'));
    const planned = await cli(
      ['plan', 'Write the intro. Write the conclusion.', '-o', 'plan.json'],
      dir,
    );
    expect(planned.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(plan.tasks.map((t: { id: string }) => t.id)).toEqual(['part-1', 'part-2', 'summary']);
    expect((await cli(['run', 'plan.json'], dir)).code).toBe(0);
  });

  it('on Ctrl-C cancels the run, still prints the summary and writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-int-'));
    // Long prompts: the simulator streams its echo back slowly, so the run is still going.
    const long = 'words '.repeat(400);
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({
        tasks: [
          { id: 'long', prompt: long },
          { id: 'later', prompt: 'x', dependsOn: ['long'] },
        ],
      }),
    );
    const child = execFile(
      process.execPath,
      ['--import', tsx, main, 'run', 'plan.json', '--output', 'out'],
      { cwd: dir },
    );
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (stdout.includes('started   long')) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toMatch(/0 succeeded, 0 failed, 1 skipped, 1 cancelled|cancelled/);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    expect(report.counts.succeeded).toBe(0);
  });
});
