import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The modules a file loads when it is loaded: static value imports and re-exports only. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  const statement = /^(?:import|export)\s+([^;]*?)\s+from\s+'([^']+)';/gms;
  for (const match of source.matchAll(statement)) {
    const clause = match[1]!;
    // `import type {…}` / `export type {…}` are erased; so is a clause of type-only names.
    if (/^type\s/.test(clause)) continue;
    const names = /^\{([^}]*)\}$/s.exec(clause.trim())?.[1];
    if (names?.split(',').every((n) => !n.trim() || /^type\s/.test(n.trim()))) continue;
    found.push(match[2]!);
  }
  for (const match of source.matchAll(/^import\s+'([^']+)';/gm)) found.push(match[1]!);
  return found;
}

/** Every package the files reachable from `entry` load at start-up. */
function packagesLoadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else
        packages.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!,
        );
    }
  };
  visit(resolve(root, entry));
  return packages;
}

describe('the embedded default does not load BullMQ or ioredis', () => {
  it.each([
    'src/index.ts',
    'src/cli/main.ts',
    'src/orchestration/task-queue/run-task-queue.ts',
  ])('%s loads neither at start-up', (entry) => {
    const loaded = packagesLoadedBy(entry);
    expect(loaded.has('xstate')).toBe(true);
    expect(loaded.has('bullmq')).toBe(false);
    expect(loaded.has('ioredis')).toBe(false);
  });

  it('sees a static import when there is one (the check can fail)', () => {
    expect(packagesLoadedBy('test/distributed/fake-runtime.ts').has('rxjs')).toBe(true);
    expect(packagesLoadedBy('test/distributed/bullmq-backend.test.ts').has('ioredis')).toBe(true);
  });
});
