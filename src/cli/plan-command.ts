import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { planFromRequirements } from '../orchestration/planner/plan-from-requirements.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { createSimulatedEnvironment } from '../testing/create-simulated-environment.js';
import { commandHelp } from './command-help.js';
import type { CommandIo } from './command-io.js';
import { type AnyCommandSpec, booleanFlag, integerFlag, stringFlag } from './command-spec.js';
import { describeError } from './describe-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { parseCommandLine } from './parse-command-line.js';
import { preflight } from './preflight.js';
import { writeProblems } from './write-problems.js';

/** The command line of `claude-actors plan`: parsed from and documented by this one table. */
export const planCommandSpec = {
  name: 'plan',
  operands: '"<requirements>"',
  summary: 'Ask Claude for a task plan that `claude-actors run` accepts.',
  takesOperands: true,
  flags: {
    output: stringFlag('FILE', 'Write the plan to FILE (default: stdout).', 'o'),
    workers: integerFlag('M', 'Workers the plan may use (default 4).', { min: 1, short: 'w' }),
    live: booleanFlag('Plan with real Claude (needs credentials); default: a demonstration plan.'),
  },
} as const satisfies AnyCommandSpec;

/**
 * A plausible plan for the offline demo: the simulated API has no model to plan with, so it
 * answers the planner with one task per sentence of the requirements and a summary task.
 */
export function demonstrationPlan(requirements: string, workers: number): Record<string, unknown> {
  const parts = requirements
    .split(/(?<=[.;!?])\s+|\s+and\s+/i)
    .map((p) => p.trim().replace(/[.;!?]+$/, ''))
    .filter(Boolean)
    .slice(0, 6);
  const tasks = parts.map((part, i) => ({ id: `part-${i + 1}`, prompt: part }));
  return {
    name: 'demonstration plan (simulated planner)',
    workers,
    tasks: [
      ...tasks,
      {
        id: 'summary',
        prompt: 'Combine the results into one summary.',
        dependsOn: tasks.map((t) => t.id),
      },
    ],
  };
}

/**
 * `claude-actors plan "<requirements>"`: asks Claude for a task plan and prints it (or writes
 * it to `--output`).
 *
 * @returns 0 with a plan, 1 when planning failed, 2 for bad usage or a failed preflight.
 */
export async function planCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine<typeof planCommandSpec.flags>>;
  try {
    parsed = parseCommandLine(planCommandSpec, args);
  } catch (error) {
    return writeProblems(io.stderr, describeError(error), planCommandSpec);
  }
  if (parsed.help) {
    io.stdout.write(commandHelp(planCommandSpec));
    return EXIT_CODES.ok;
  }
  const { values, operands } = parsed;
  const requirements = operands.join(' ').trim();
  if (!requirements) {
    return writeProblems(
      io.stderr,
      ['give the requirements, e.g. claude-actors plan "Write a guide to X"'],
      planCommandSpec,
    );
  }
  const workers = values.workers ?? 4;
  const problems = await preflight({
    live: values.live === true,
    outputFile: values.output,
    notice: (line) => io.stderr.write(`claude-actors: ${line}\n`),
  });
  if (problems.length > 0) return writeProblems(io.stderr, problems);
  const sim = values.live ? undefined : await createSimulatedEnvironment();
  sim?.simulator.on(/You are a planner/, {
    kind: 'tool_use',
    name: 'StructuredOutput',
    input: demonstrationPlan(requirements, workers),
  });
  const runtime = createRuntime({ defaults: sim?.options ?? {} });
  // Ctrl-C: stopping the runtime cancels the planning query, which ends the command.
  const stop = (): void => void runtime.stop({ deadlineMs: 0 });
  io.signal?.addEventListener('abort', stop, { once: true });
  try {
    const { plan, attempts, costUsd } = await planFromRequirements(runtime, requirements, {
      maxWorkers: workers,
    });
    const json = `${JSON.stringify(plan, null, 2)}\n`;
    if (values.output) {
      await mkdir(dirname(values.output), { recursive: true });
      await writeFile(values.output, json);
    } else io.stdout.write(json);
    io.stderr.write(
      `${plan.tasks.length} tasks for ${plan.workers} workers, ${attempts} planning attempt(s), $${costUsd.toFixed(4)}` +
        `${sim ? ' (simulated; offline: a demonstration plan from the simulated API; --live for a real one)' : ''}` +
        `${values.output ? ` → ${values.output}` : ''}\n`,
    );
    return EXIT_CODES.ok;
  } catch (error) {
    writeProblems(io.stderr, describeError(error));
    return EXIT_CODES.failed;
  } finally {
    io.signal?.removeEventListener('abort', stop);
    await runtime.stop();
    await sim?.close();
  }
}
