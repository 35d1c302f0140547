import { execFileSync } from 'node:child_process';
import { resolveExecutable } from '../src/process/spawn/resolve-executable.js';

/** CLI processes running the executable the tests use, found by scanning `ps`. */
function runningClis(executable: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(executable))
    .map((line) => line.trim());
}

export function setup(): () => void {
  const executable = resolveExecutable();
  const before = new Set(runningClis(executable));
  // Teardown: every CLI a test started must be gone, whatever the test did.
  return () => {
    const left = runningClis(executable).filter((line) => !before.has(line));
    if (left.length > 0) {
      throw new Error(`claude processes left running after the tests:\n${left.join('\n')}`);
    }
  };
}
