import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InvalidPlanError } from '../../../src/orchestration/plan/errors/invalid-plan-error.js';
import { PlanGraphError } from '../../../src/orchestration/plan/errors/plan-graph-error.js';
import { loadPlan } from '../../../src/orchestration/plan/load-plan.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plans-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plan = {
  name: 'review',
  workers: 2,
  defaults: { model: 'sonnet', maxTurns: 3, timeouts: { idleMs: 60_000 } },
  tasks: [
    { id: 'scan', prompt: 'List the files.' },
    { id: 'review', prompt: 'Review {{deps.scan}}', dependsOn: ['scan'], priority: 2 },
    {
      id: 'summary',
      prompt: 'Summarise.',
      dependsOn: ['review'],
      retry: { attempts: 2 },
      timeoutMs: 30_000,
      options: { maxTurns: 1 },
      tags: ['docs'],
      outputFile: 'summary.md',
    },
  ],
};

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, 'utf8');
  return path;
}

describe('loadPlan', () => {
  it('loads YAML and JSON plans identically', async () => {
    const fromJson = await loadPlan(await write('plan.json', JSON.stringify(plan)));
    const fromYaml = await loadPlan(await write('plan.yaml', stringify(plan)));
    const fromYml = await loadPlan(await write('plan.yml', stringify(plan)));
    expect(fromYaml).toEqual(fromJson);
    expect(fromYml).toEqual(fromJson);
    expect(fromJson.tasks[0]).toEqual({
      id: 'scan',
      prompt: 'List the files.',
      dependsOn: [],
      priority: 0,
      worktree: false,
    });
    // Query options stay as written: the runtime's defaults fill in the rest.
    expect(fromJson.defaults).toEqual(plan.defaults);
    expect(fromJson.tasks[2]!.options).toEqual({ maxTurns: 1 });
  });

  it('detects the format from the content when the extension says nothing', async () => {
    const fromJson = await loadPlan(await write('plan-a.txt', JSON.stringify(plan)));
    const fromYaml = await loadPlan(await write('plan-b', stringify(plan)));
    expect(fromYaml).toEqual(fromJson);
  });

  it('names the file and the line of a syntax error', async () => {
    const path = await write('broken.yaml', 'tasks:\n  - id: a\n    prompt: [unclosed\n');
    await expect(loadPlan(path)).rejects.toThrow(InvalidPlanError);
    await expect(loadPlan(path)).rejects.toThrow(/Invalid plan \(.*broken\.yaml\): not valid YAML/);
    const json = await write('broken.json', '{"tasks": [}');
    await expect(loadPlan(json)).rejects.toThrow(/broken\.json\): not valid JSON/);
  });

  it('names a missing file', async () => {
    await expect(loadPlan(join(dir, 'missing.yaml'))).rejects.toThrow(
      /missing\.yaml\): the file cannot be read \(ENOENT\)/,
    );
  });

  it('names the task, field and value of an invalid field', async () => {
    const path = await write(
      'bad.yaml',
      'tasks:\n  - id: a\n    prompt: hi\n  - id: b\n    prompt: there\n    dependsOn: [5]\n',
    );
    await expect(loadPlan(path)).rejects.toThrow(
      'task `b`, field `tasks[1].dependsOn[0]`: expected a task id (a string), got `5` (number)',
    );
  });

  it('rejects a graph problem with a PlanGraphError', async () => {
    const path = await write(
      'cycle.yaml',
      'tasks:\n  - { id: a, prompt: x, dependsOn: [b] }\n  - { id: b, prompt: y, dependsOn: [a] }\n',
    );
    await expect(loadPlan(path)).rejects.toThrow(PlanGraphError);
  });
});
