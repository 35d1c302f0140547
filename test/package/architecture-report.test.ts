import { describe, expect, it } from 'vitest';
import {
  fileCycles,
  folderCycles,
  folderOf,
  upwardImports,
  // @ts-expect-error: a plain .mjs script, no declarations.
} from '../../scripts/architecture-report.mjs';

type Edge = [string, string, string, string];
const edge = (from: string, to: string): Edge => [from, to, `src/${from}/a.ts`, `src/${to}/b.ts`];

describe('architecture report', () => {
  const layers = [['core'], ['protocol', 'process'], ['runtime']];

  it('flags an import from a folder to a higher layer, not within a layer or downward', () => {
    const edges = [
      edge('protocol', 'core'),
      edge('protocol', 'process'),
      edge('core', 'runtime'),
      edge('runtime', 'protocol'),
      edge('cli', 'core'),
    ];
    expect(upwardImports(edges, layers)).toEqual([edge('core', 'runtime')]);
  });

  it('finds folders that import each other, once per pair', () => {
    const edges = [edge('a', 'b'), edge('b', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'c')];
    expect(folderCycles(edges)).toEqual([['a', 'b']]);
  });

  it('puts a file in the longest layer unit its path starts with', () => {
    const units = [['core'], ['machines/query'], ['machines/session']];
    const root = `${process.cwd()}/src`;
    expect(folderOf(`${root}/machines/query/options/x.ts`, units)).toBe('machines/query');
    expect(folderOf(`${root}/machines/session/y.ts`, units)).toBe('machines/session');
    expect(folderOf(`${root}/core/z.ts`, units)).toBe('core');
    expect(folderOf(`${root}/other/z.ts`, units)).toBe('other');
    expect(folderOf(`${root}/index.ts`, units)).toBe('(root)');
  });

  it('finds files that import each other around a loop, not a chain', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['e', ['e']],
    ]);
    expect(fileCycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(
      fileCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });
});
