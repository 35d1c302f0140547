import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logging/create-logger.js';
import { StoreError } from '../../store/errors/store-error.js';
import type { RunJournal } from '../../store/runs/run-journal.js';
import type { RunLease, RunOwner } from '../../store/runs/run-lease.js';
import type { RunRecord, RunStart } from '../../store/runs/run-record.js';
import type { TaskRecord } from '../../store/runs/task-record.js';
import type { Plan } from '../plan/plan-schema.js';
import { claimRunLease } from './claim-run-lease.js';
import { ResumeRefusedError } from './errors/resume-refused-error.js';
import { findRunToResume } from './find-run-to-resume.js';
import { hasPlanChanges, type PlanChanges, planChanges } from './plan-changes.js';
import type { PlanHashes } from './plan-hash.js';
import { planKeyOf } from './plan-key-of.js';
import type { RestoredTask } from './task-scheduler.js';

/** What {@link openJournalledRun} is told. @internal */
export interface OpenJournalledRunInput {
  readonly journal: RunJournal;
  readonly plan: Plan;
  readonly hashes: PlanHashes;
  /** The `runId` option, if given. */
  readonly runId: string | undefined;
  /** The id of a new run when none is given. */
  readonly newRunId: () => string;
  readonly resume: boolean;
  readonly policy: { readonly failed: 'rerun' | 'keep'; readonly cancelled: 'rerun' | 'keep' };
  readonly changedPlan: 'refuse' | 'reconcile';
  /** Recorded with the run. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly now: number;
  /** The run's lease: this host, the wall clock, how long a claim holds. */
  readonly lease: {
    readonly owner: RunOwner;
    readonly now: () => number;
    readonly expireMs: number;
    readonly log?: Logger | undefined;
  };
}

/** The run as the journal now has it. @internal */
export interface JournalledRun {
  readonly runId: string;
  readonly run: RunRecord;
  /** Whether a journalled run is continued. */
  readonly resumed: boolean;
  /** The changes a reconciled resume took in. */
  readonly changes: PlanChanges | undefined;
  /** Every task of a resumed run, by id (empty for a new run). */
  readonly restored: ReadonlyMap<string, RestoredTask>;
  /** This host's lease on the run, to renew while it runs and release at its end. */
  readonly lease: RunLease;
}

/**
 * Starts a run in the journal, or reopens the one to resume: finds it (`runId`, else the
 * plan's latest run when it did not succeed), compares the plan's task hashes with the
 * journal's (refused, or reconciled: changed and added tasks and their dependents rerun),
 * applies the policy to failed and cancelled tasks (skipped ones always rerun: whether they
 * can run is decided again), and reopens it in one journal call. This host takes the run's
 * lease first (a new run is created held, in the same transaction): a refused resume
 * changes nothing.
 *
 * @throws {@link ResumeRefusedError} for a changed plan under `refuse`, and for a `runId` in the
 *   journal already without `resume`.
 * @throws {@link RunOwnedError} when another host holds the run (see `claimRunLease`).
 * @internal
 */
export async function openJournalledRun(input: OpenJournalledRunInput): Promise<JournalledRun> {
  const { journal, plan, hashes } = input;
  const planKey = planKeyOf(plan, hashes);
  const start = {
    planKey,
    planName: plan.name,
    planHash: hashes.planHash,
    at: input.now,
    options: input.options,
    tasks: hashes.tasks,
  };
  let found: RunRecord | undefined;
  if (input.runId !== undefined) {
    found = await journal.getRun(input.runId);
    if (found && !input.resume) {
      throw new ResumeRefusedError(
        `Run \`${input.runId}\` is in the store already (${found.status}): resume it ` +
          '(`resume: true`, `--resume`) or give another run id.',
        { runId: input.runId },
      );
    }
  } else if (input.resume) {
    found = await findRunToResume(journal, planKey, undefined);
  }
  const claim = (runId: string): Promise<RunLease> =>
    claimRunLease({ journal, runId, ...input.lease });
  if (!found) {
    const runId = input.runId ?? input.newRunId();
    const at = input.lease.now();
    // Created held, in one transaction: a concurrent resume never finds it without a lease.
    const run = await journal.createRun(
      { ...start, runId },
      {
        token: randomUUID(),
        owner: input.lease.owner,
        at,
        expiresAt: at + input.lease.expireMs,
      },
    );
    const lease = await journal.getLease(runId);
    if (!lease)
      throw new StoreError(
        'STORE_FAILED',
        `The journal did not keep the lease of new run \`${runId}\``,
      );
    return { runId, run, resumed: false, changes: undefined, restored: new Map(), lease };
  }

  const runId = found.runId;
  const lease = await claim(runId);
  try {
    return { ...(await reopen(input, runId, start)), lease };
  } catch (error) {
    // Refused (a changed plan) or failed: the run is left as it was, to its next resume.
    await journal.releaseLease(runId, lease.token).catch(() => undefined);
    throw error;
  }
}

/** Reopens journalled run `runId` for a resume. */
async function reopen(
  input: OpenJournalledRunInput,
  runId: string,
  start: Omit<RunStart, 'runId'>,
): Promise<Omit<JournalledRun, 'lease'>> {
  const { journal, plan, hashes } = input;
  const before = await journal.tasks(runId);
  const changes = planChanges(before, hashes.tasks);
  const reset = new Set<string>();
  if (hasPlanChanges(changes)) {
    if (input.changedPlan !== 'reconcile') {
      throw new ResumeRefusedError(changedPlanMessage(runId, changes), { runId, changes });
    }
    // A changed (or new) task's output changes its dependents' prompts: they rerun too.
    const dependents = new Map<string, string[]>();
    for (const task of plan.tasks) {
      for (const dependency of task.dependsOn) {
        dependents.set(dependency, [...(dependents.get(dependency) ?? []), task.id]);
      }
    }
    const visit = (id: string): void => {
      for (const dependent of dependents.get(id) ?? []) {
        if (reset.has(dependent)) continue;
        reset.add(dependent);
        visit(dependent);
      }
    };
    for (const id of [...changes.changed, ...changes.added]) {
      reset.add(id);
      visit(id);
    }
  }
  for (const task of before) {
    if (
      task.status === 'skipped' ||
      (task.status === 'failed' && input.policy.failed === 'rerun') ||
      (task.status === 'cancelled' && input.policy.cancelled === 'rerun')
    ) {
      reset.add(task.taskId);
    }
  }
  const known = new Set(before.map((task) => task.taskId));
  const run = await journal.reopenRun({
    ...start,
    runId,
    reset: [...reset].filter((id) => known.has(id)),
  });
  const after = await journal.tasks(runId);
  return {
    runId,
    run,
    resumed: true,
    changes: hasPlanChanges(changes) ? changes : undefined,
    restored: new Map(after.map((record) => [record.taskId, restoredTask(record)])),
  };
}

/** A task in flight when the host died continues its session; the rest is taken as it is. */
function restoredTask(record: TaskRecord): RestoredTask {
  return { record, continueSession: record.status === 'running' && record.sessionId !== undefined };
}

function changedPlanMessage(runId: string, changes: PlanChanges): string {
  const list = (what: string, ids: readonly string[]) =>
    ids.length === 0 ? [] : [`${what}: ${ids.map((id) => `\`${id}\``).join(', ')}`];
  return (
    `The plan changed since run \`${runId}\` was journalled (` +
    [
      ...list('tasks added', changes.added),
      ...list('removed', changes.removed),
      ...list('changed', changes.changed),
    ].join('; ') +
    '). Resume with `resumeChangedPlan: "reconcile"` (`--reconcile`) to rerun ' +
    'what changed and keep the rest, or start a new run.'
  );
}
