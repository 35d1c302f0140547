import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dir = join(root, '.tmp', 'readme-snippets');

/** A fenced block of a Markdown file, with the line its fence opens on (from 1). */
interface Snippet {
  readonly line: number;
  readonly code: string;
}

/** Every ```` ```ts ```` (or `typescript`) block of `markdown`. */
function tsSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  let open: { line: number; lines: string[] } | undefined;
  markdown.split('\n').forEach((text, index) => {
    if (open === undefined) {
      if (/^```(ts|typescript)\s*$/.test(text)) open = { line: index + 1, lines: [] };
    } else if (/^```\s*$/.test(text)) {
      snippets.push({ line: open.line, code: open.lines.join('\n') });
      open = undefined;
    } else {
      open.lines.push(text);
    }
  });
  if (open) throw new Error(`the ts block opened on line ${open.line} is never closed`);
  return snippets;
}

/**
 * What the README's snippets take as given, the way its prose does: a runtime, a prompt, your
 * own logic. Library functions are not here: a snippet that uses one must import it.
 */
const PRELUDE = `import type { Observable } from 'rxjs';
import type { AnyActorLogic, InspectionEvent, Observer } from 'xstate';
import type {
  CanUseTool,
  PatternTask,
  QueryOptions,
  Runtime,
  SessionPrompt,
  SupervisionNode,
} from 'claude-actors';

declare global {
  const runtime: Runtime;
  const previousRuntime: Runtime | undefined;
  const prompt: string;
  const files: readonly string[];
  const tasks: readonly PatternTask[];
  const defaults: QueryOptions;
  const options: QueryOptions;
  const metricsMachine: AnyActorLogic;
  const someLogic: AnyActorLogic;
  const inspect: Observer<InspectionEvent>;
  const canUseTool: CanUseTool;
  const prompts$: Observable<SessionPrompt>;
  function render(tree: SupervisionNode): void;
  function isValid(text: string | undefined): boolean;
}
`;

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const snippets = tsSnippets(readme);

const fileOf = (line: number): string => join(dir, `readme-line-${line}.ts`);

/** One program over every snippet (as its own module) and the prelude, with the repo's options. */
function compile(): ts.Program {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const prelude = join(dir, 'prelude.d.ts');
  writeFileSync(prelude, PRELUDE);
  for (const snippet of snippets) {
    // `export {}` makes each snippet a module, so snippets do not share names.
    writeFileSync(fileOf(snippet.line), `${snippet.code}\nexport {};\n`);
  }
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    // Snippets show a call and leave its result to the reader.
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  return ts.createProgram([prelude, ...snippets.map((s) => fileOf(s.line))], options);
}

function errorsOf(program: ts.Program, file: string): string {
  const source = program.getSourceFile(file);
  if (!source) return `${file} is not in the program`;
  const diagnostics = [
    ...program.getSyntacticDiagnostics(source),
    ...program.getSemanticDiagnostics(source),
  ];
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  });
}

describe('tsSnippets', () => {
  it('finds ts blocks with their line and skips other languages', () => {
    const md = ['# t', '```sh', 'npm i', '```', '```ts', 'const a = 1;', '', 'a;', '```'];
    expect(tsSnippets(md.join('\n'))).toEqual([{ line: 5, code: 'const a = 1;\n\na;' }]);
  });

  it('rejects a block that is never closed', () => {
    expect(() => tsSnippets('```ts\nconst a = 1;\n')).toThrow(/line 1 is never closed/);
  });

  it('finds every ts block of the README', () => {
    expect(snippets.length).toBe(readme.match(/^```(ts|typescript)\s*$/gm)?.length);
    expect(snippets.length).toBeGreaterThanOrEqual(10);
  });
});

describe('README.md ts snippets', () => {
  let program: ts.Program;
  // One program for all: it loads src/ once (several seconds of type-checking).
  beforeAll(() => {
    program = compile();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the prelude type-checks', () => {
    expect(errorsOf(program, join(dir, 'prelude.d.ts'))).toBe('');
  });

  it.each(snippets.map((s) => [s.line]))('the snippet at line %i type-checks', (line) => {
    expect(errorsOf(program, fileOf(line))).toBe('');
  });
});
