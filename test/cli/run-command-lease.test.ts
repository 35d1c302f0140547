import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { parsePlan } from '../../src/orchestration/plan/parse-plan.js';
import { currentRunOwner } from '../../src/orchestration/task-queue/current-run-owner.js';
import { planHashes } from '../../src/orchestration/task-queue/plan-hash.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import { captureIo } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'run-command-lease-'));
const planInput = { name: 'one', tasks: [{ id: 'a', prompt: 'hello' }] };
const plan = join(dir, 'plan.json');
writeFileSync(plan, JSON.stringify(planInput));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Journals run `runId` of the plan, not started, with its outputs meant for `outputDir`. */
async function journalRun(file: string, runId: string, outputDir: string): Promise<void> {
  const hashes = planHashes(parsePlan(planInput));
  const store = openSqliteStore(file);
  try {
    await store.runs.createRun({
      runId,
      planKey: 'one',
      planName: 'one',
      planHash: hashes.planHash,
      at: Date.now(),
      options: { outputDir },
      tasks: hashes.tasks,
    });
  } finally {
    await store.close();
  }
}

describe('claude-actors run --resume and run ownership', () => {
  it('refuses to resume a run a live host owns, naming it, with exit code 2, running nothing', async () => {
    const file = join(dir, 'owned', 'journal.db');
    const out = join(dir, 'owned-out');
    await journalRun(file, 'held', out);
    const store = openSqliteStore(file);
    await store.runs.claimLease({
      runId: 'held',
      token: 'live',
      owner: currentRunOwner(),
      at: Date.now(),
      expiresAt: Date.now() + 30_000,
      expected: undefined,
    });
    await store.close();

    const { io, err } = captureIo();
    expect(await runCommand([plan, '--store', file, '--resume'], io)).toBe(2);
    expect(err()).toMatch(
      new RegExp(
        `^claude-actors: cannot resume: Run \`held\` is owned by pid ${process.pid} on ${hostname()} since \\d{4}-\\d\\d-\\d\\dT.*Z \\(0 s ago\\): that process is still running\\.`,
        'm',
      ),
    );
    const after = openSqliteStore(file);
    try {
      expect(await after.runs.getRun('held')).toMatchObject({ status: 'running', resumes: 0 });
      expect((await after.runs.tasks('held'))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    } finally {
      await after.close();
    }
    expect(existsSync(join(out, 'report.json'))).toBe(false);
  }, 60_000);

  it('resumes into the output folder journalled with the run when --store is given without --output', async () => {
    const file = join(dir, 'journals', 'journal.db');
    const out = join(dir, 'journalled-out');
    await journalRun(file, 'elsewhere', out);
    const { io, out: stdout } = captureIo();
    expect(await runCommand([plan, '--store', file, '--resume'], io)).toBe(0);
    expect(stdout()).toContain(`Outputs go to ${out}/`);
    expect(stdout()).toContain('Resuming run elsewhere');
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    // Not beside the journal.
    expect(existsSync(join(dir, 'journals', 'report.json'))).toBe(false);
    // With --resume=<id> of the run, now succeeded, the same folder again.
    const again = captureIo();
    expect(await runCommand([plan, '--store', file, '--resume=elsewhere'], again.io)).toBe(0);
    expect(again.out()).toContain(`Outputs go to ${out}/`);
  }, 90_000);
});
