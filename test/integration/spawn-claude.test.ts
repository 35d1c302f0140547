import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  liveProcesses,
  waitForNoLiveProcesses,
} from '../../src/process/registry/process-registry.js';
import { spawnClaude } from '../../src/process/spawn/spawn-claude.js';
import { isAlive } from '../helpers/integration.js';

const fixture = fileURLToPath(new URL('../fixtures/fake-process.mjs', import.meta.url));
const env = { PATH: process.env.PATH ?? '' };

afterEach(() => waitForNoLiveProcesses(5_000));

function start(mode: string, onStdout: (chunk: Buffer) => void = () => {}) {
  return spawnClaude({ executable: fixture, args: [mode], env, onStdout });
}

describe('spawnClaude (real child processes)', () => {
  it('stops politely: closing stdin is enough for a process that exits on EOF', async () => {
    const proc = start('polite');
    expect(liveProcesses()).toContain(proc.pid);
    const started = Date.now();
    const exit = await proc.stop(5_000);
    expect(exit).toMatchObject({ exitCode: 0, signal: undefined });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(liveProcesses()).not.toContain(proc.pid);
  });

  it('escalates to SIGKILL after the grace period and kills the whole process group', async () => {
    let pids: number[] = [];
    let announced: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      announced = resolve;
    });
    const proc = start('stubborn', (chunk) => {
      pids = String(chunk).trim().split(' ').map(Number);
      announced();
    });
    await ready;
    const [child, grandchild] = pids as [number, number];
    expect(isAlive(grandchild)).toBe(true);
    const started = Date.now();
    const exit = await proc.terminate(300);
    expect(exit.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(isAlive(child)).toBe(false);
    expect(isAlive(grandchild)).toBe(false);
  });

  it('reports a process that cannot start as a spawn error, not a crash', async () => {
    const proc = spawnClaude({
      executable: '/nonexistent/claude',
      args: [],
      env,
      onStdout: () => {},
    });
    const exit = await proc.exited;
    expect(proc.pid).toBeUndefined();
    expect(exit.spawnError).toMatchObject({
      code: 'SPAWN_FAILED',
      errno: 'ENOENT',
      retryable: false,
    });
    expect(proc.write('x\n')).toBe(false);
  });

  it('keeps the stderr tail with secrets redacted', async () => {
    const exit = await start('leaky').exited;
    expect(exit.exitCode).toBe(1);
    expect(exit.stderrTail).toContain('auth failed for key [redacted]');
    expect(exit.stderrTail).not.toContain('SECRET');
  });

  it('hands each stderr chunk to onStderr, redacted, and survives a throwing listener', async () => {
    const chunks: string[] = [];
    const exit = await spawnClaude({
      executable: fixture,
      args: ['leaky'],
      env,
      onStdout: () => {},
      onStderr: (data) => {
        chunks.push(data);
        throw new Error('listener bug');
      },
    }).exited;
    expect(exit.exitCode).toBe(1);
    expect(chunks.join('')).toContain('auth failed for key [redacted]');
    expect(chunks.join('')).not.toContain('SECRET');
  });
});
