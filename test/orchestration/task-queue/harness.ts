import { firstValueFrom, toArray } from 'rxjs';
import type { TaskQueueRun } from '../../../src/orchestration/task-queue/run-task-queue.js';
import type { TaskProgressEvent } from '../../../src/orchestration/task-queue/task-progress-event.js';
import { createRuntime, type Runtime } from '../../../src/runtime/create-runtime.js';
import { createScriptedSpawn, type ScriptedReply } from './scripted-spawn.js';

/** A runtime whose CLI is scripted, with no query-level retries unless asked. */
export function scriptedRuntime(
  script?: (prompt: string, n: number, cwd: string | undefined) => ScriptedReply,
  retry: { maxAttempts?: number } = { maxAttempts: 1 },
): { runtime: Runtime; fake: ReturnType<typeof createScriptedSpawn> } {
  const fake = createScriptedSpawn(script);
  const runtime = createRuntime({
    defaults: { executable: process.execPath, retry: { ...retry, initialDelayMs: 0, jitter: 0 } },
    processes: { spawn: fake.spawn },
  });
  return { runtime, fake };
}

/** Every progress event of a run, once it completes. */
export function collect(run: TaskQueueRun): Promise<TaskProgressEvent[]> {
  return firstValueFrom(run.progress$.pipe(toArray()));
}

/** The prompt text of a task's query (the first line, without context blocks). */
export function promptOf(prompt: string): string {
  return prompt.split('\n')[0]!;
}
