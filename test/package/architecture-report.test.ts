import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, no declarations.
import { folderCycles, upwardImports } from '../../scripts/architecture-report.mjs';

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
});
