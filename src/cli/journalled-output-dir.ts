import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plan } from '../orchestration/plan/plan-schema.js';
import { findRunToResume } from '../orchestration/task-queue/find-run-to-resume.js';
import { planHashes } from '../orchestration/task-queue/plan-hash.js';
import { planKeyOf } from '../orchestration/task-queue/plan-key-of.js';
import { openSqliteStore } from '../store/open-sqlite-store.js';

/**
 * The output folder journalled with the run `run --resume` will continue in store `file`:
 * run `runId` when given, else the plan's latest run that did not succeed (as
 * `runTaskQueue` picks it). `undefined` when the file does not exist, cannot be opened (the
 * run reports that when it opens it), has no such run, or the run was journalled without an
 * output folder. A relative folder (journalled by an older version) is taken from `cwd`.
 */
export async function journalledOutputDir(
  file: string,
  plan: Plan,
  runId: string | undefined,
): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  let store: ReturnType<typeof openSqliteStore>;
  try {
    store = openSqliteStore(file);
  } catch {
    return undefined;
  }
  try {
    const run = await findRunToResume(store.runs, planKeyOf(plan, planHashes(plan)), runId);
    const outputDir = run?.options.outputDir;
    return typeof outputDir === 'string' && outputDir !== '' ? resolve(outputDir) : undefined;
  } catch {
    return undefined;
  } finally {
    await store.close();
  }
}
