import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiOf,
  apiReports,
  createApiProgram,
  ENTRIES,
  MAX_TYPE_CHARS,
  renderReport,
  unexportedReferences,
  // @ts-expect-error: a plain .mjs script, no declarations.
} from '../../scripts/api-report.mjs';

const root = resolve(import.meta.dirname, '../..');

interface Report {
  readonly file: string;
  readonly text: string;
}

interface ApiEntry {
  readonly name: string;
  readonly meanings: readonly [kind: string, code: string][];
}

/** The first line where two texts differ, for a message a reviewer can act on. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: checked in ${JSON.stringify(a[at] ?? '(end)')}, source gives ${JSON.stringify(b[at] ?? '(end)')}`;
}

describe('the checked-in API report', () => {
  let reports: Report[];
  beforeAll(() => {
    reports = apiReports();
  }, 180_000);

  it('has a report per entry point of package.json exports', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const entries = Object.keys(pkg.exports).filter((e) => e !== './package.json');
    expect(ENTRIES.map((e: { entry: string }) => e.entry).sort()).toEqual(entries.sort());
  });

  it('matches the public surface of the sources (else run npm run api:report)', () => {
    for (const { file, text } of reports) {
      let checkedIn: string;
      try {
        checkedIn = readFileSync(join(root, file), 'utf8');
      } catch {
        throw new Error(`${file} is missing: run npm run api:report and commit it`);
      }
      if (checkedIn !== text) {
        throw new Error(
          `${file} is out of date (${firstDifference(checkedIn, text)}): run npm run api:report, review the diff and commit it`,
        );
      }
    }
  });
});

describe('api report rendering', () => {
  const dir = join(root, '.tmp', 'api-report-fixture');
  let api: ApiEntry[];

  const FIXTURE = `
import { helper, type Shape } from './inner.js';
export { helper, type Shape };

/** Adds. */
export function add(a: number, b?: number): number;
export function add(a: string): string;
export function add(a: number | string, b = 0): number | string {
  return typeof a === 'number' ? a + b : a;
}

export class Counter<T = number> extends Error {
  readonly count: number = 0;
  label?: string;
  private secret = 1;
  protected guarded = 2;
  #hidden = 3;
  /** @internal */
  internalOnly = 4;
  static create(): Counter { return new Counter(1); }
  constructor(start: number) { super('x'); void start; void this.#hidden; }
  increment(by: number): this { void by; return this; }
}

export interface Options {
  readonly size?: number;
  name: string;
  run(input: string): Promise<void>;
}

interface Hidden { readonly x: number }
const hiddenValue = { y: 1 };
export function useHidden(h: Hidden, v: typeof hiddenValue): Shape { void h; void v; return { sides: 3 }; }
export type Mode = 'a' | 'b';
export type Wrapped = Pick<Options, 'name'>;
export const LIMIT = 3;
export const BIG: { ${Array.from({ length: 400 }, (_, i) => `k${i}: 'value-${i}'`).join('; ')} } =
  {} as never;
`;

  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'entry.ts'), FIXTURE);
    writeFileSync(
      join(dir, 'inner.ts'),
      'export interface Shape { readonly sides: number }\nexport const helper = (s: Shape): number => s.sides;\n',
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
        },
      }),
    );
    const program = createApiProgram([join(dir, 'entry.ts')], join(dir, 'tsconfig.json'));
    api = apiOf(program, join(dir, 'entry.ts'));
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const code = (name: string): string =>
    api
      .find((e) => e.name === name)
      ?.meanings.map(([, c]) => c)
      .join('\n') ?? '';

  it('lists every export, re-exports included, sorted by name', () => {
    expect(api.map((e) => e.name)).toEqual([
      'add',
      'BIG',
      'Counter',
      'helper',
      'LIMIT',
      'Mode',
      'Options',
      'Shape',
      'useHidden',
      'Wrapped',
    ]);
  });

  it('prints each overload of a function with its parameters and return type', () => {
    expect(code('add')).toBe(
      'function add(a: number, b?: number): number;\nfunction add(a: string): string;',
    );
    expect(code('helper')).toBe('const helper: (s: Shape) => number;');
  });

  it('prints the public members of a class, never private, protected, # or @internal ones', () => {
    const counter = code('Counter');
    expect(counter).toContain('class Counter<T = number> extends Error {');
    expect(counter).toContain('constructor(start: number);');
    expect(counter).toContain('static create(): Counter;');
    expect(counter).toContain('readonly count: number;');
    expect(counter).toContain('label?: string | undefined;');
    expect(counter).toContain('increment(by: number): Counter<T>;');
    expect(counter).not.toMatch(/secret|guarded|hidden|internalOnly/);
    // Error's own members are summed up by `extends Error`, not listed.
    expect(counter).not.toContain('message');
  });

  it('prints interfaces with their members and type aliases with the type they stand for', () => {
    expect(code('Options')).toBe(
      'interface Options {\n  name: string;\n  run(input: string): Promise<void>;\n  readonly size?: number | undefined;\n}',
    );
    expect(code('Mode')).toBe('type Mode = "a" | "b";');
    expect(code('Wrapped')).toBe('type Wrapped = { name: string; };');
    expect(code('LIMIT')).toBe('const LIMIT: 3;');
  });

  it('shortens a very long type to its declared text plus a fingerprint of the whole', () => {
    const big = code('BIG');
    expect(big.length).toBeLessThan(MAX_TYPE_CHARS);
    expect(big).toMatch(
      /^const BIG: \{ k0: "value-0"; .*\.\.\. .*\/\* \d+ chars, sha256 [0-9a-f]{12} \*\/;$/s,
    );
  });

  it('lists the types signatures name but no entry exports, not `typeof` values', () => {
    const program = createApiProgram([join(dir, 'entry.ts')], join(dir, 'tsconfig.json'));
    expect(unexportedReferences(program, join(dir, 'entry.ts'))).toEqual([
      { name: 'Hidden', file: '.tmp/api-report-fixture/entry.ts', usedBy: ['useHidden'] },
    ]);
  });

  it('counts what another entry of the package exports as exported', () => {
    writeFileSync(
      join(dir, 'area.ts'),
      "import type { Shape } from './inner.js';\nexport function area(s: Shape): number { return s.sides; }\n",
    );
    const area = join(dir, 'area.ts');
    const inner = join(dir, 'inner.ts');
    const program = createApiProgram([area, inner], join(dir, 'tsconfig.json'));
    expect(unexportedReferences(program, area)).toEqual([
      { name: 'Shape', file: '.tmp/api-report-fixture/inner.ts', usedBy: ['area'] },
    ]);
    expect(unexportedReferences(program, area, [inner])).toEqual([]);
  });

  it('renders the same Markdown on every run and names no local path', () => {
    const entry = { entry: './fixture', source: 'entry.ts', file: 'api/fixture.api.md' };
    const once = renderReport(entry, api);
    const program = createApiProgram([join(dir, 'entry.ts')], join(dir, 'tsconfig.json'));
    expect(renderReport(entry, apiOf(program, join(dir, 'entry.ts')))).toBe(once);
    expect(once).toContain('# API report: `claude-actors/fixture`');
    expect(once).toContain('| `Counter` | class |');
    expect(once).not.toContain(root);
  });
});
