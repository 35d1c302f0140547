import { describe, expect, it, vi } from 'vitest';
import { ProcessPool } from '../../../src/process/pool/process-pool.js';
import type { ClaudeProcess, SpawnClaudeOptions } from '../../../src/process/spawn/spawn-claude.js';

const fakeProcess = (): ClaudeProcess => ({
  pid: 1234,
  exited: new Promise(() => {}),
  write: () => true,
  closeInput: () => {},
  terminate: () => new Promise(() => {}),
  stop: () => new Promise(() => {}),
  kill: () => {},
  stderrTail: () => '',
});

describe('ProcessPool with a stderr listener', () => {
  it("starts a process of the query's own, with its listener, instead of a pooled one", () => {
    const spawn = vi.fn((_options: SpawnClaudeOptions) => fakeProcess());
    const pool = new ProcessPool({ size: 1 }, { spawn });
    const onStderr = (): void => {};
    const options = {
      executable: '/bin/claude',
      args: ['-p'],
      env: {},
      onStdout: () => {},
      onStderr,
    };
    pool.spawn(options);
    expect(spawn).toHaveBeenCalledTimes(1);
    expect(spawn.mock.calls[0]![0].onStderr).toBe(onStderr);
    expect(pool.stats()).toMatchObject({ idle: 0, misses: 1, hits: 0 });
  });
});
