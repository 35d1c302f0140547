import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isClaudeActorsError } from '../errors/claude-actors-error.js';
import { planFromRequirements } from '../orchestration/planner/plan-from-requirements.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { createSimulatedEnvironment } from '../simulator/create-simulated-environment.js';
import type { CommandIo } from './command-io.js';

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

/** `claude-actors plan "<requirements>" [-o plan.json] [--workers M] [--live]`. */
export async function planCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr.write(`claude-actors plan: ${(error as Error).message}\n`);
    return 2;
  }
  const requirements = parsed.positionals.join(' ').trim();
  const workers = Number(parsed.values.workers ?? '4');
  if (!requirements || !(Number.isInteger(workers) && workers > 0)) {
    io.stderr.write(
      'usage: claude-actors plan "<requirements>" [-o plan.json] [--workers M] [--live]\n',
    );
    return 2;
  }
  const sim = parsed.values.live ? undefined : await createSimulatedEnvironment();
  sim?.simulator.on(/You are a planner/, {
    kind: 'tool_use',
    name: 'StructuredOutput',
    input: demonstrationPlan(requirements, workers),
  });
  const runtime = createRuntime({ defaults: sim?.options ?? {} });
  try {
    const { plan, attempts, costUsd } = await planFromRequirements(runtime, requirements, {
      maxWorkers: workers,
    });
    const json = `${JSON.stringify(plan, null, 2)}\n`;
    if (parsed.values.output) await writeFile(parsed.values.output, json);
    else io.stdout.write(json);
    io.stderr.write(
      `${plan.tasks.length} tasks for ${plan.workers} workers, ${attempts} planning attempt(s), $${costUsd.toFixed(4)}` +
        `${sim ? ' (offline: a demonstration plan from the simulated API; --live for a real one)' : ''}` +
        `${parsed.values.output ? ` → ${parsed.values.output}` : ''}\n`,
    );
    return 0;
  } catch (error) {
    io.stderr.write(
      `claude-actors plan: ${isClaudeActorsError(error) ? error.message : String(error)}\n`,
    );
    return 1;
  } finally {
    await runtime.stop();
    await sim?.close();
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      workers: { type: 'string', short: 'w' },
      live: { type: 'boolean', default: false },
    },
  });
}
