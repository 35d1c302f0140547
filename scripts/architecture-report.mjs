#!/usr/bin/env node
/**
 * The architecture in figures, for review and for the layout issue's before/after note: source
 * files and lines per top-level folder of `src/`, the largest files, the names the package
 * root exports, and the imports between folders that run against the intended layering (a
 * folder importing one of a higher layer) or in a cycle of folders.
 *
 *   node scripts/architecture-report.mjs            (text)
 *   node scripts/architecture-report.mjs --json     (the same as JSON)
 *
 * The layer order is LAYERS below: a folder may import folders of its own or a lower layer.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/** Lowest first. Folders in one inner list are one layer (they may import each other). */
export const LAYERS = [
  ['errors', 'logging'],
  ['protocol'],
  ['options', 'retry'],
  ['transport'],
  ['machines', 'actors', 'streams'],
  ['supervisors'],
  ['resilience', 'pool', 'sessions'],
  ['runtime'],
  ['inspection', 'simulator'],
  ['orchestration'],
  ['cli'],
];

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The top-level folder of `src/` a file is in (`(root)` for src/index.ts and the like). */
export function folderOf(file) {
  const parts = relative(src, file).split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

/** Relative imports and re-exports of a file, resolved to `.ts` paths. */
function importsOf(file, text) {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
}

/**
 * Imports that run upward: from a folder to a folder of a higher layer. Folders not in the
 * layer list (and the root files) are not judged.
 *
 * @param edges - `[fromFolder, toFolder, fromFile, toFile]` per import.
 */
export function upwardImports(edges, layers = LAYERS) {
  const layerOf = new Map(layers.flatMap((folders, i) => folders.map((f) => [f, i])));
  return edges.filter(([from, to]) => {
    const a = layerOf.get(from);
    const b = layerOf.get(to);
    return a !== undefined && b !== undefined && b > a;
  });
}

/** Pairs of folders that import each other (directly), each pair once. */
export function folderCycles(edges) {
  const pairs = new Set(edges.filter(([a, b]) => a !== b).map(([a, b]) => `${a}\u0000${b}`));
  const cycles = [];
  for (const pair of pairs) {
    const [a, b] = pair.split('\u0000');
    if (a < b && pairs.has(`${b}\u0000${a}`)) cycles.push([a, b]);
  }
  return cycles;
}

/** The names a module exports, through every `export *`. */
function exportedNames(entry) {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  return symbol ? checker.getExportsOfModule(symbol).map((s) => s.getName()) : [];
}

function report() {
  const files = sourceFiles(src);
  const perFolder = new Map();
  const sizes = [];
  const edges = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length;
    const folder = folderOf(file);
    const entry = perFolder.get(folder) ?? { files: 0, lines: 0 };
    entry.files++;
    entry.lines += lines;
    perFolder.set(folder, entry);
    sizes.push([relative(root, file), lines]);
    for (const target of importsOf(file, text)) {
      const to = folderOf(target);
      if (to !== folder) edges.push([folder, to, relative(root, file), relative(root, target)]);
    }
  }
  sizes.sort((a, b) => b[1] - a[1]);
  const names = exportedNames(join(src, 'index.ts'));
  return {
    files: files.length,
    lines: sizes.reduce((sum, [, n]) => sum + n, 0),
    folders: Object.fromEntries([...perFolder].sort()),
    largest: sizes.slice(0, 10),
    exportedNames: names.length,
    upwardImports: upwardImports(edges).map(([from, to, file, target]) => ({
      from,
      to,
      file,
      target,
    })),
    folderCycles: folderCycles(edges),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const figures = report();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  } else {
    const out = [
      `${figures.files} source files, ${figures.lines} lines; ${figures.exportedNames} names exported by src/index.ts`,
      '',
      'folder            files  lines',
      ...Object.entries(figures.folders).map(
        ([folder, { files, lines }]) =>
          `${folder.padEnd(16)}  ${String(files).padStart(5)}  ${String(lines).padStart(5)}`,
      ),
      '',
      'largest files:',
      ...figures.largest.map(([file, lines]) => `  ${String(lines).padStart(5)}  ${file}`),
      '',
      `imports against the layering (${figures.upwardImports.length}):`,
      ...figures.upwardImports.map((u) => `  ${u.from} → ${u.to}: ${u.file} imports ${u.target}`),
      '',
      `folders importing each other (${figures.folderCycles.length}):`,
      ...figures.folderCycles.map(([a, b]) => `  ${a} ↔ ${b}`),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
