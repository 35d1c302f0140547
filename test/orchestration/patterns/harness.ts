import { afterEach, beforeEach, vi } from 'vitest';
import { createRuntime, type Runtime } from '../../../src/runtime/create-runtime.js';
import { type ScriptedReply, scriptedSpawn } from '../../helpers/scripted-spawn.js';

/** A runtime over a scripted fake CLI, on fake timers; stopped after each test. */
export function usePatternRuntime(reply: (prompt: string, call: number) => ScriptedReply) {
  const holder = {} as { runtime: Runtime; state: ReturnType<typeof scriptedSpawn>['state'] };
  beforeEach(() => {
    vi.useFakeTimers();
    const { spawn, state } = scriptedSpawn(reply);
    holder.state = state;
    holder.runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      processes: { spawn },
    });
  });
  afterEach(async () => {
    const stopped = holder.runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
    vi.useRealTimers();
  });
  return holder;
}

/** Advances fake time until the promise settles. */
export async function settle<T>(promise: Promise<T>, maxMs = 60_000): Promise<T> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  for (let t = 0; t < maxMs && !done; t += 10) await vi.advanceTimersByTimeAsync(10);
  return promise;
}
