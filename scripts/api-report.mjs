#!/usr/bin/env node
/**
 * The public API as a reviewable file: for each entry point of package.json `exports` (`.`,
 * `./testing`, `./protocol`) writes `api/<entry>.api.md` listing every exported name, its kind
 * and its declared type signature, sorted by name. A change to the public surface is then a
 * visible diff in review; `test/package/api-report.test.ts` fails when the checked-in report
 * differs from the source.
 *
 * Signatures come from the TypeScript compiler API (the project's tsconfig.json), not from
 * declaration files: functions print their parameters and return type (one line per overload),
 * interfaces and classes their members declared in this repository (inherited members of
 * external types such as `Error` or `Observable` are summed up by the `extends` clause; private
 * and protected members are left out), type aliases the type they stand for, constants their
 * type. A last section lists the repository's types those signatures name that no entry
 * exports (a user can meet them but not import them). Paths outside the repository are never
 * printed, so the report is the same on every machine.
 *
 * Usage: `npm run api:report` (writes api/), `node scripts/api-report.mjs --check` (exit 1 if
 * the files differ).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The report file of each entry point, and the source it is generated from. */
export const ENTRIES = [
  { entry: '.', source: 'src/index.ts', file: 'api/index.api.md' },
  { entry: './testing', source: 'src/testing.ts', file: 'api/testing.api.md' },
  { entry: './protocol', source: 'src/protocol.ts', file: 'api/protocol.api.md' },
];

const FORMAT =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope |
  ts.TypeFormatFlags.WriteArrowStyleSignature;

/** Signatures of functions and methods: `(a: A): R`, not `(a: A) => R`. */
const SIGNATURE_FORMAT = FORMAT & ~ts.TypeFormatFlags.WriteArrowStyleSignature;

function printSignature(checker, signature, at) {
  return clean(checker.signatureToString(signature, at, SIGNATURE_FORMAT));
}

/** A program over `rootNames` with the compiler options of `tsconfig`. */
export function createApiProgram(rootNames, tsconfig = join(root, 'tsconfig.json')) {
  const config = ts.readConfigFile(tsconfig, ts.sys.readFile);
  if (config.error)
    throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(tsconfig));
  return ts.createProgram({ rootNames, options: { ...parsed.options, noEmit: true } });
}

/** Code-point order, case-insensitive first: the same on every machine and locale. */
function byName(a, b) {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Types printed without `import("/abs/path").` qualifiers, which differ between checkouts. */
function clean(text) {
  return text.replace(/import\("[^"]*"\)\./g, '');
}

/**
 * Printed types longer than this (XState actor and snapshot types run to 20,000 characters)
 * show as declared, or cut short by TypeScript, with the length and a hash of the whole
 * expansion: still a diff whenever they change, without burying the report.
 */
export const MAX_TYPE_CHARS = 1500;

function fingerprint(full) {
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 12);
  return `/* ${full.length} chars, sha256 ${hash} */`;
}

/** `type` as text; `declared` (the source's own type text) stands in for a very long one. */
function printType(checker, type, at, flags = FORMAT, declared = undefined) {
  const full = clean(checker.typeToString(type, at, flags));
  if (full.length <= MAX_TYPE_CHARS) return full;
  const short =
    declared !== undefined && declared.length <= MAX_TYPE_CHARS
      ? declared
      : clean(checker.typeToString(type, at, flags & ~ts.TypeFormatFlags.NoTruncation));
  return `${short} ${fingerprint(full)}`;
}

/** Whether a declaration is in the project (not in node_modules or TypeScript's lib). */
function isOwn(declaration) {
  const file = declaration.getSourceFile().fileName;
  return !file.includes('/node_modules/') && !relative(root, file).startsWith('..');
}

function isHidden(declaration) {
  const flags = ts.getCombinedModifierFlags(declaration);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return true;
  const name = declaration.name;
  if (name && ts.isPrivateIdentifier(name)) return true;
  return /@internal\b/.test(
    ts
      .getJSDocCommentsAndTags(declaration)
      .map((d) => d.getText())
      .join(''),
  );
}

/** `(a: A, b?: B, ...rest: C[])` of a signature, without its type parameters or return type. */
function parametersOf(checker, signature, at) {
  const params = signature.getParameters().map((parameter) => {
    const declaration = parameter.valueDeclaration;
    const rest = declaration && ts.isParameter(declaration) && declaration.dotDotDotToken;
    const optional =
      declaration &&
      ts.isParameter(declaration) &&
      (declaration.questionToken || declaration.initializer);
    const type = printType(checker, checker.getTypeOfSymbolAtLocation(parameter, at), at);
    return `${rest ? '...' : ''}${parameter.getName()}${optional ? '?' : ''}: ${type}`;
  });
  return `(${params.join(', ')})`;
}

function typeParametersOf(declaration) {
  const params = declaration.typeParameters;
  return params && params.length > 0 ? `<${params.map((p) => p.getText()).join(', ')}>` : '';
}

function heritageOf(declaration) {
  const clauses = declaration.heritageClauses ?? [];
  return clauses.map((c) => ` ${c.getText().replace(/\s+/g, ' ')}`).join('');
}

/** Members of `type` declared in the project, one line each, sorted. */
function memberLines(checker, type, at, { isStatic = false } = {}) {
  const lines = [];
  const push = (member, line) => lines.push([member, line]);
  for (const property of checker.getPropertiesOfType(type)) {
    const declarations = property.getDeclarations() ?? [];
    if (declarations.length === 0 || !declarations.some(isOwn)) continue;
    if (declarations.some(isHidden)) continue;
    if (isStatic && property.getName() === 'prototype') continue;
    const declaration = declarations[0];
    const readonly =
      ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly ||
      (ts.isGetAccessor(declaration) && !declarations.some(ts.isSetAccessor))
        ? 'readonly '
        : '';
    const prefix = isStatic ? 'static ' : '';
    const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
    const propertyType = checker.getTypeOfSymbolAtLocation(property, at);
    const isMethod = declarations.every(
      (d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d),
    );
    if (isMethod) {
      for (const signature of propertyType.getCallSignatures()) {
        const printed = printSignature(checker, signature, at);
        push(property.getName(), `${prefix}${property.getName()}${optional}${printed};`);
      }
    } else {
      const printed = printType(checker, propertyType, at, FORMAT, declaration.type?.getText());
      push(property.getName(), `${prefix}${readonly}${property.getName()}${optional}: ${printed};`);
    }
  }
  return lines.sort(([a], [b]) => byName(a, b)).map(([, line]) => line);
}

function signatureLines(checker, signatures, at, prefix) {
  return signatures.map((s) => `${prefix}${printSignature(checker, s, at)};`);
}

function indexLines(checker, type, at) {
  return checker
    .getIndexInfosOfType(type)
    .map(
      (info) =>
        `${info.isReadonly ? 'readonly ' : ''}[key: ${checker.typeToString(info.keyType)}]: ${printType(checker, info.type, at)};`,
    );
}

function block(header, lines) {
  return lines.length === 0
    ? `${header} {}`
    : `${header} {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`;
}

/** The declared signature of one exported symbol: `[kind, code]` per meaning it has. */
function describe(checker, name, symbol) {
  const out = [];
  const declarations = symbol.getDeclarations() ?? [];
  for (const declaration of declarations) {
    if (ts.isFunctionDeclaration(declaration)) {
      if (out.some(([kind]) => kind === 'function')) continue;
      const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      const lines = type
        .getCallSignatures()
        .map((s) => `function ${name}${printSignature(checker, s, declaration)};`);
      out.push(['function', lines.join('\n')]);
    } else if (ts.isClassDeclaration(declaration)) {
      const instance = checker.getDeclaredTypeOfSymbol(symbol);
      const statics = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      const abstract =
        ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Abstract ? 'abstract ' : '';
      const constructors = declaration.members.some(
        (m) => ts.isConstructorDeclaration(m) && isHidden(m),
      )
        ? []
        : statics
            .getConstructSignatures()
            .map((signature) => `constructor${parametersOf(checker, signature, declaration)};`);
      const lines = [
        ...constructors,
        ...memberLines(checker, statics, declaration, { isStatic: true }),
        ...memberLines(checker, instance, declaration),
      ];
      const header = `${abstract}class ${name}${typeParametersOf(declaration)}${heritageOf(declaration)}`;
      out.push(['class', block(header, lines)]);
    } else if (ts.isInterfaceDeclaration(declaration)) {
      if (out.some(([kind]) => kind === 'interface')) continue;
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      const lines = [
        ...signatureLines(checker, type.getCallSignatures(), declaration, ''),
        ...signatureLines(checker, type.getConstructSignatures(), declaration, 'new '),
        ...indexLines(checker, type, declaration),
        ...memberLines(checker, type, declaration),
      ];
      const header = `interface ${name}${typeParametersOf(declaration)}${heritageOf(declaration)}`;
      out.push(['interface', block(header, lines)]);
    } else if (ts.isTypeAliasDeclaration(declaration)) {
      const type = checker.getTypeAtLocation(declaration.type);
      const printed = printType(
        checker,
        type,
        declaration,
        FORMAT | ts.TypeFormatFlags.InTypeAlias,
        declaration.type.getText().replace(/\s+/g, ' ').replace(/^\| /, ''),
      );
      out.push(['type', `type ${name}${typeParametersOf(declaration)} = ${printed};`]);
    } else if (ts.isVariableDeclaration(declaration)) {
      const list = declaration.parent;
      const keyword = list.flags & ts.NodeFlags.Const ? 'const' : 'let';
      const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      const printed = printType(checker, type, declaration, FORMAT, declaration.type?.getText());
      out.push([keyword, `${keyword} ${name}: ${printed};`]);
    } else if (ts.isEnumDeclaration(declaration)) {
      out.push(['enum', declaration.getText()]);
    }
  }
  if (out.length === 0) out.push(['unknown', `// ${name}: no declaration the report understands`]);
  return out;
}

/** The exported names of one entry file, each with its kinds and signatures, sorted by name. */
export function apiOf(program, sourceFile) {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(sourceFile);
  if (!file) throw new Error(`api-report: ${sourceFile} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (!moduleSymbol) return [];
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((exported) => {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = exported.getName();
      return { name, meanings: describe(checker, name, symbol) };
    })
    .sort((a, b) => byName(a.name, b.name));
}

/**
 * Declarations of this repository that the exported declarations name in their types but the
 * entry does not export (what api-extractor calls a forgotten export): a user can meet such a
 * type but not import it. Only written type annotations are read, never bodies, initializers or
 * `typeof` queries.
 *
 * @param otherEntries - Entry files of the same package: what they export counts as exported.
 * @returns `{ name, file, usedBy }` per declaration, sorted by name then file.
 */
export function unexportedReferences(program, sourceFile, otherEntries = []) {
  const checker = program.getTypeChecker();
  const moduleOf = (file) => checker.getSymbolAtLocation(program.getSourceFile(file));
  const moduleSymbol = moduleOf(sourceFile);
  if (!moduleSymbol) return [];
  const resolveAlias = (symbol) =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const exports = checker
    .getExportsOfModule(moduleSymbol)
    .map((e) => [e.getName(), resolveAlias(e)]);
  const exported = new Set(exports.map(([, symbol]) => symbol));
  for (const other of otherEntries) {
    const symbol = moduleOf(other);
    if (symbol) for (const e of checker.getExportsOfModule(symbol)) exported.add(resolveAlias(e));
  }
  const found = new Map();

  const record = (entity, usedBy) => {
    const target = checker.getSymbolAtLocation(entity);
    if (!target) return;
    const symbol = resolveAlias(target);
    if (exported.has(symbol) || symbol.flags & ts.SymbolFlags.TypeParameter) return;
    const declaration = symbol.getDeclarations()?.find(isOwn);
    if (!declaration || declaration.getSourceFile().isDeclarationFile) return;
    // A member of a namespace or an enum is reached through its parent's name.
    if (!ts.isSourceFile(declaration.parent) && !ts.isModuleBlock(declaration.parent)) {
      if (!ts.isVariableDeclarationList(declaration.parent)) return;
    }
    const file = relative(root, declaration.getSourceFile().fileName).split(sep).join('/');
    const key = `${symbol.getName()}\0${file}`;
    const entry = found.get(key) ?? { name: symbol.getName(), file, usedBy: new Set() };
    entry.usedBy.add(usedBy);
    found.set(key, entry);
  };

  const visit = (node, usedBy) => {
    if (ts.isBlock(node)) return;
    if (ts.isClassElement(node) && isHidden(node)) return;
    if (ts.isPropertyDeclaration(node) || ts.isParameter(node) || ts.isVariableDeclaration(node)) {
      if (node.type) visit(node.type, usedBy);
      return;
    }
    if (ts.isTypeReferenceNode(node)) record(node.typeName, usedBy);
    else if (ts.isExpressionWithTypeArguments(node)) record(node.expression, usedBy);
    // `typeof schema` in `z.infer<typeof schema>` names a value, not a type a user is handed.
    else if (ts.isTypeQueryNode(node)) return;
    ts.forEachChild(node, (child) => visit(child, usedBy));
  };

  for (const [name, symbol] of exports) {
    for (const declaration of symbol.getDeclarations() ?? []) {
      if (isOwn(declaration)) visit(declaration, name);
    }
  }
  return [...found.values()]
    .map((e) => ({ ...e, usedBy: [...e.usedBy].sort(byName) }))
    .sort((a, b) => byName(a.name, b.name) || byName(a.file, b.file));
}

/** One entry's report as Markdown. */
export function renderReport(
  { entry, source },
  api,
  unexported = [],
  packageName = 'claude-actors',
) {
  const specifier = entry === '.' ? packageName : `${packageName}/${entry.slice(2)}`;
  const lines = [
    `# API report: \`${specifier}\``,
    '',
    `<!-- Generated by \`npm run api:report\` from ${source}; do not edit by hand. -->`,
    '',
    `${api.length} exported names.`,
    '',
    '| Name | Kind |',
    '| --- | --- |',
    ...api.map(({ name, meanings }) => `| \`${name}\` | ${meanings.map(([k]) => k).join(', ')} |`),
    '',
  ];
  for (const { name, meanings } of api) {
    lines.push(`## ${name}`, '', '```ts', ...meanings.map(([, code]) => code), '```', '');
  }
  if (unexported.length > 0) {
    lines.push(
      '## Referenced but not exported',
      '',
      'Declarations the signatures above name that this entry does not export.',
      '',
      '| Name | Declared in | Named by |',
      '| --- | --- | --- |',
      ...unexported.map(
        ({ name, file, usedBy }) =>
          `| \`${name}\` | ${file} | ${usedBy.map((u) => `\`${u}\``).join(', ')} |`,
      ),
      '',
    );
  }
  return lines.join('\n');
}

/** Every entry's report, `{ file, text }`, from the sources as they are now. */
export function apiReports(entries = ENTRIES) {
  const program = createApiProgram(entries.map((e) => join(root, e.source)));
  return entries.map((e) => ({
    file: e.file,
    text: renderReport(
      e,
      apiOf(program, join(root, e.source)),
      unexportedReferences(
        program,
        join(root, e.source),
        entries.filter((other) => other !== e).map((other) => join(root, other.source)),
      ),
    ),
  }));
}

function main() {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const { file, text } of apiReports()) {
    const path = join(root, file);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    if (check) {
      stale.push(file);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      process.stdout.write(`api-report: wrote ${file.split('/').join(sep)}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`api-report: out of date: ${stale.join(', ')}; run npm run api:report\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
