import { describe, expect, it, vi } from 'vitest';
import { parseQueryOptions } from '../../../src/machines/query/options/parse-options.js';
import { queryProcessInput } from '../../../src/machines/query/query-process-input.js';
import { createSdkMcpServer } from '../../../src/mcp/create-sdk-mcp-server.js';
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

describe('ProcessPool and queries that talk the control protocol', () => {
  it('starts an exclusive process of its own: not pooled, not reused, no warm one started', () => {
    const spawn = vi.fn((_options: SpawnClaudeOptions) => fakeProcess());
    const pool = new ProcessPool({ size: 1 }, { spawn });
    const options = parseQueryOptions({
      executable: process.execPath,
      sdkMcpServers: [createSdkMcpServer({ name: 'calc', tools: [] })],
    });
    const input = queryProcessInput({ queryId: 'q', prompt: 'hi', options, attempt: 1 });
    const spawnOptions = { ...input.spawnOptions({}), onStdout: () => {} };
    expect(spawnOptions.exclusive).toBe(true);
    const proc = pool.spawn(spawnOptions);
    expect(spawn).toHaveBeenCalledTimes(1);
    // The process itself, not a pool's lease that would go back to the pool at the result.
    expect(proc).not.toHaveProperty('release');
    expect(pool.stats()).toMatchObject({ idle: 0, misses: 1, hits: 0 });
  });

  it('leaves a query without callbacks or in-process servers poolable', () => {
    const options = parseQueryOptions({ executable: process.execPath });
    const input = queryProcessInput({ queryId: 'q', prompt: 'hi', options, attempt: 1 });
    expect(input.spawnOptions({})).not.toHaveProperty('exclusive');
  });
});
