import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTaskQueue } from '../../src/orchestration/task-queue/run-task-queue.js';
import type { TaskProgressEvent } from '../../src/orchestration/task-queue/task-progress-event.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { apiError, text } from '../../src/testing/builders.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

/** Canaries no pattern recognises: only scrubbing by the values given can remove them. */
const API_KEY = 'canary-report-apikey-4e1d';
const TOKEN = 'canary-report-token-9b2c';
const CANARIES = [API_KEY, TOKEN];

function expectNoCanary(channel: string, text: string): void {
  for (const canary of CANARIES) {
    expect(text.includes(canary), `${channel} leaks ${canary}`).toBe(false);
  }
}

/** Every file under `dir`, with its text. */
async function filesUnder(dir: string): Promise<[string, string][]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    names
      .filter((entry) => entry.isFile())
      .map(async (entry): Promise<[string, string]> => {
        const path = join(entry.parentPath, entry.name);
        return [path, await readFile(path, 'utf8')];
      }),
  );
}

describe('secrets in a run report (real CLI against the simulator)', () => {
  it('keeps apiKey and secret env values out of report.json, outputs, the summary and progress', async () => {
    const runtime = createRuntime({
      defaults: {
        ...sim.env.options,
        apiKey: API_KEY,
        env: { ...sim.env.options.env, MY_SERVICE_TOKEN: TOKEN },
        retry: { maxAttempts: 1 },
      },
    });
    // The API echoes the credentials it was sent, as some gateways do in their errors.
    sim.env.simulator
      .on(
        'leaky task',
        apiError(400, { message: `invalid request: key ${API_KEY}, token ${TOKEN}` }),
      )
      .on('echo task', text(`your token is ${TOKEN}`));
    const dir = await mkdtemp(join(tmpdir(), 'report-canaries-'));
    const events: TaskProgressEvent[] = [];
    try {
      const run = runTaskQueue(
        runtime,
        {
          tasks: [
            { id: 'leaky', prompt: 'leaky task' },
            { id: 'echo', prompt: 'echo task' },
          ],
        },
        { outputDir: dir, workers: 2 },
      );
      run.progress$.subscribe((event) => events.push(event));
      const summary = await run.result;
      const leaky = summary.tasks.find((t) => t.id === 'leaky');
      // The test is only worth something if the failure really carried the echo.
      expect(leaky).toMatchObject({ status: 'failed', errorCode: 'API_ERROR' });
      expect(leaky?.error).toContain('invalid request: key [redacted], token [redacted]');

      expectNoCanary('the summary', JSON.stringify(summary));
      const files = await filesUnder(dir);
      expect(files.map(([path]) => path.slice(dir.length + 1)).sort()).toEqual([
        'report.json',
        'tasks/echo.md',
      ]);
      for (const [path, content] of files) expectNoCanary(path, content);
      expect(events.some((e) => e.type === 'task.failed')).toBe(true);
      for (const event of events) {
        expectNoCanary(`progress event ${event.type}`, JSON.stringify(event));
        const error = (event as { error?: unknown }).error;
        if (error instanceof Error) {
          expectNoCanary(`${event.type} error`, `${error.message}\n${error.stack}`);
        }
      }
    } finally {
      await runtime.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
