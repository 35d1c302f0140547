import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CancelledError } from '../../../src/core/errors/cancelled-error.js';
import type { ClaudeActorsError } from '../../../src/core/errors/claude-actors-error.js';
import type { ErrorCode } from '../../../src/error-code.js';
import type { ApiError } from '../../../src/machines/query/errors/api-error.js';
import type { TimeoutError } from '../../../src/machines/query/errors/timeout-error.js';
import type { SessionClosedError } from '../../../src/machines/session/errors/session-closed-error.js';
import type { WorkerCrashedError } from '../../../src/orchestration/task-queue/errors/worker-crashed-error.js';
import type { SpawnFailedError } from '../../../src/process/errors/spawn-failed-error.js';
import type { CircuitOpenError } from '../../../src/resilience/errors/circuit-open-error.js';
import type { InvalidChildSpecError } from '../../../src/supervisors/errors/invalid-child-spec-error.js';

const SRC = join(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('error codes', () => {
  it('are declared by the domain that raises them, and ErrorCode is their union', () => {
    expectTypeOf<CancelledError['code']>().toEqualTypeOf<'CANCELLED'>();
    expectTypeOf<SpawnFailedError['code']>().toEqualTypeOf<'SPAWN_FAILED'>();
    expectTypeOf<InvalidChildSpecError['code']>().toEqualTypeOf<'INVALID_CHILD_SPEC'>();
    expectTypeOf<ApiError['code']>().toEqualTypeOf<'API_ERROR'>();
    expectTypeOf<TimeoutError['code']>().toEqualTypeOf<'IDLE_TIMEOUT' | 'TOTAL_TIMEOUT'>();
    expectTypeOf<SessionClosedError['code']>().toEqualTypeOf<'SESSION_CLOSED'>();
    expectTypeOf<CircuitOpenError['code']>().toEqualTypeOf<'CIRCUIT_OPEN'>();
    expectTypeOf<WorkerCrashedError['code']>().toEqualTypeOf<'WORKER_CRASHED'>();
    expectTypeOf<ApiError['code']>().toExtend<ErrorCode>();
    expectTypeOf<ClaudeActorsError['code']>().toEqualTypeOf<string>();
  });

  it('every error class checks its code against its own domain’s code type', () => {
    const unchecked: string[] = [];
    const seen: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      if (!/extends ClaudeActorsError\b/.test(text)) continue;
      seen.push(relative(SRC, file));
      if (
        // One code (`= 'X' satisfies D`), some (`: Extract<D, ...>`) or any of its domain's (`: D;`).
        !/readonly code(?: = '[A-Z_]+' satisfies |: Extract<|: (?=[A-Z][A-Za-z]*ErrorCode;))[A-Z][A-Za-z]*ErrorCode/.test(
          text,
        )
      ) {
        unchecked.push(relative(SRC, file));
      }
    }
    expect(seen.length).toBeGreaterThan(20);
    expect(unchecked).toEqual([]);
  });
});
