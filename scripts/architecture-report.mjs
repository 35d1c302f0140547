#!/usr/bin/env node
/**
 * The architecture in figures, for review and for the layout issue's before/after note: source
 * files and lines per top-level folder of `src/`, the largest files, the names the package
 * root exports, and the imports between folders that run against the intended layering (a
 * folder importing one of a higher layer) or in a cycle of folders.
 *
 *   node scripts/architecture-report.mjs            (text)
 *   node scripts/architecture-report.mjs --json     (the same as JSON)
 *   node scripts/architecture-report.mjs --check    (exit 1 on an upward import or a cycle)
 *
 * The layer order is LAYERS below: a unit may import its own files and lower layers only, and
 * no files may import each other around a loop.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/**
 * The layers, lowest first: a unit may import its own files and units of lower layers, never
 * a higher one. A unit is a folder of `src/` (`machines/query` and `machines/session` are two).
 */
export const LAYERS = [
  ['core'],
  ['store'],
  ['protocol'],
  ['mcp'],
  ['process'],
  ['actors'],
  ['supervisors'],
  ['machines/control'],
  ['machines/query'],
  ['machines/session'],
  ['resilience'],
  ['telemetry'],
  ['runtime'],
  ['orchestration'],
  ['distributed'],
  ['inspection'],
  ['dashboard'],
  ['testing'],
  ['cli'],
];

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * The layer unit a file is in: the longest unit of `layers` its path starts with, else its
 * top-level folder (`(root)` for src/index.ts and the like).
 */
export function folderOf(file, layers = LAYERS) {
  const path = relative(src, file).split(sep).join('/');
  const parts = path.split('/');
  if (parts.length === 1) return '(root)';
  const units = layers.flat().filter((unit) => path.startsWith(`${unit}/`));
  return units.sort((a, b) => b.length - a.length)[0] ?? parts[0];
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

/**
 * Groups of files that import each other, directly or around a loop (strongly connected
 * components of more than one file), each sorted, largest first.
 *
 * @param graph - file → the files it imports.
 */
export function fileCycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), indices.get(next)));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return groups.sort((a, b) => b.length - a.length);
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
  const graph = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length;
    const folder = folderOf(file);
    const entry = perFolder.get(folder) ?? { files: 0, lines: 0 };
    entry.files++;
    entry.lines += lines;
    perFolder.set(folder, entry);
    sizes.push([relative(root, file), lines]);
    const targets = importsOf(file, text);
    graph.set(
      relative(root, file),
      targets.map((target) => relative(root, target)),
    );
    for (const target of targets) {
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
    fileCycles: fileCycles(graph),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const figures = report();
  if (process.argv.includes('--check')) {
    const problems = [
      ...figures.upwardImports.map(
        (u) => `upward import (${u.from} → ${u.to}): ${u.file} imports ${u.target}`,
      ),
      ...figures.folderCycles.map(([a, b]) => `folders import each other: ${a} ↔ ${b}`),
      ...figures.fileCycles.map((group) => `import cycle: ${group.join(' → ')}`),
    ];
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    process.stdout.write(
      problems.length === 0
        ? `layering ok: ${figures.files} files, ${LAYERS.length} layers, no upward import, no cycle\n`
        : `layering broken: ${problems.length} problem(s)\n`,
    );
    process.exitCode = problems.length === 0 ? 0 : 1;
  } else if (process.argv.includes('--json')) {
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
      '',
      `files in import cycles (${figures.fileCycles.length} cycles):`,
      ...figures.fileCycles.map((group) => `  ${group.join(' → ')}`),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
