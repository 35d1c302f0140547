import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runQuery } from '../../src/machines/query/run-query.js';
import type { ClaudeProcess, SpawnClaudeOptions } from '../../src/process/spawn/spawn-claude.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';

const executable = process.execPath;

/**
 * A scripted CLI whose process breaks the way the test says, recording whether it was killed
 * (the real one kills its whole process tree) and whether it has exited.
 */
function breakingSpawn(breakIt: (proc: ClaudeProcess) => Partial<ClaudeProcess>) {
  const { spawn } = scriptedSpawn(() => ({ text: 'ok' }));
  const procs: { killed: boolean; exited: boolean }[] = [];
  const breaking = (options: SpawnClaudeOptions): ClaudeProcess => {
    const proc = spawn(options);
    const record = { killed: false, exited: false };
    procs.push(record);
    void proc.exited.then(() => {
      record.exited = true;
    });
    return {
      ...proc,
      kill: () => {
        record.killed = true;
        proc.kill();
      },
      ...breakIt(proc),
    };
  };
  return { spawn: breaking, procs };
}

describe('fromCliProcess when something throws after the spawn', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('kills the CLI and fails the query when writing the prompt throws', async () => {
    const { spawn, procs } = breakingSpawn(() => ({
      write: () => {
        throw new TypeError('stdin exploded');
      },
    }));
    const { result } = runQuery('hello', { executable, retry: { maxAttempts: 1 } }, { spawn });
    await vi.runAllTimersAsync();
    const outcome = await result;
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toContain('stdin exploded');
    expect(outcome.error?.message).toContain('sending it the prompt');
    expect(outcome.error?.retryable).toBe(false);
    expect(procs).toEqual([{ killed: true, exited: true }]);
  });

  it('kills the CLI and fails the query when handling its output throws', async () => {
    let closes = 0;
    const { spawn, procs } = breakingSpawn((proc) => ({
      // The first close follows the prompt; the second comes from the output handler, on the
      // result line: it is the one that throws, on the stdout stream's stack.
      closeInput: () => {
        closes += 1;
        if (closes > 1) throw new Error('listener exploded');
        proc.closeInput();
      },
    }));
    const { result } = runQuery('hello', { executable, retry: { maxAttempts: 1 } }, { spawn });
    await vi.runAllTimersAsync();
    const outcome = await result;
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toContain('listener exploded');
    expect(outcome.error?.message).toContain('handling its output');
    expect(procs).toEqual([{ killed: true, exited: true }]);
  });

  it('lets runtime.stop() resolve, with every CLI gone', async () => {
    const { spawn, procs } = breakingSpawn(() => ({
      write: () => {
        throw new Error('boom');
      },
    }));
    const runtime = createRuntime({
      defaults: { executable, retry: { maxAttempts: 1 } },
      processes: { spawn },
    });
    const { result } = runtime.query('hello');
    await vi.runAllTimersAsync();
    expect((await result).error?.message).toContain('boom');
    let stopped = false;
    void runtime.stop({ deadlineMs: 1_000 }).then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(stopped).toBe(true);
    expect(procs.every((p) => p.killed && p.exited)).toBe(true);
  });
});
