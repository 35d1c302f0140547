import { z } from 'zod';

const PART = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The BullMQ job id of one run of a task: `<runId>.<taskId>.<attempt>`. Derived, so adding the
 * same run of a task twice (a scheduler that dispatches again after a Redis blip) finds the job
 * already there and runs it once. BullMQ ids may not contain `:` nor be a bare integer: run and
 * task ids hold only letters, digits, `_` and `-`, and the `.` separators keep it non-numeric.
 *
 * @throws `Error` naming the part when `runId` or `taskId` is not such an id, or `attempt` is
 *   not a positive integer.
 * @example
 * jobIdOf('nightly-1', 'build', 2); // 'nightly-1.build.2'
 */
export function jobIdOf(runId: string, taskId: string, attempt: number): string {
  if (!PART.test(runId)) {
    throw new Error(
      `Expected \`runId\` to be up to 64 letters, digits, _ and -, got ${JSON.stringify(runId)}`,
    );
  }
  if (!PART.test(taskId)) {
    throw new Error(
      `Expected \`taskId\` to be up to 64 letters, digits, _ and -, got ${JSON.stringify(taskId)}`,
    );
  }
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new Error(`Expected \`attempt\` to be a positive integer, got ${String(attempt)}`);
  }
  return `${runId}.${taskId}.${attempt}`;
}

/** The parts of a job id made by {@link jobIdOf}, or `undefined` for another id. */
export function parseJobId(
  jobId: string,
): { runId: string; taskId: string; attempt: number } | undefined {
  const match = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,64})\.([1-9][0-9]*)$/.exec(jobId);
  if (!match) return undefined;
  return { runId: match[1]!, taskId: match[2]!, attempt: Number(match[3]) };
}

/** A job id as {@link jobIdOf} makes them. */
export const JobIdSchema = z
  .string()
  .refine((id) => parseJobId(id) !== undefined, { error: 'expected `<runId>.<taskId>.<attempt>`' });
