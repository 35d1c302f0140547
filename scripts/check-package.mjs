#!/usr/bin/env node
/**
 * The package as a user gets it: builds and packs it, checks the tarball (files, source maps that
 * resolve), then installs the tarball with its peers into a fresh strict project
 * (`skipLibCheck: false`, its own TypeScript), type-checks a program that uses the main API,
 * `claude-actors/protocol` and `claude-actors/testing` (and that the root does not export the
 * wire schemas), and runs it offline against the simulator (one tiny query).
 *
 * It does that twice: with the newest peers the ranges allow (a zod other than the one this
 * repository builds with) and with the lowest version of each peer range.
 *
 * Needs only the npm registry. `KEEP_CONSUMER=1` keeps the temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'claude-actors-package-'));
const started = Date.now();

function log(line) {
  process.stdout.write(`check-package: ${line}\n`);
}

function fail(message) {
  throw new Error(`check-package: ${message}`);
}

function run(command, args, cwd, env = {}) {
  log(`$ ${command} ${args.join(' ')}`);
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    process.stdout.write(error.stdout ?? '');
    fail(`\`${command} ${args.join(' ')}\` failed (exit ${error.status ?? error.signal})`);
  }
}

/** The lowest version a `^x.y.z` (or `>=x.y.z`) range allows. */
function floorOf(name, range) {
  const match = /^(?:\^|>=)?(\d+\.\d+\.\d+)$/.exec(range);
  if (!match) fail(`peerDependencies.${name} should be ^x.y.z or >=x.y.z, got ${range}`);
  return match[1];
}

/** The entry points a user imports; each must ship its JavaScript and its types. */
const PUBLIC_ENTRIES = ['.', './testing', './protocol'];

/** Packs the package (prepack builds it) and returns the tarball's path and file list. */
function pack() {
  const out = run('npm', ['pack', '--json', '--pack-destination', work], root);
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return { tarball: join(work, info.filename), files: info.files.map((f) => f.path) };
}

/** Every file the package must ship, and every source map resolving to shipped files. */
function checkTarball(tarball, files) {
  const shipped = new Set(files);
  for (const required of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
    if (!shipped.has(required)) fail(`the tarball has no ${required}`);
  }
  for (const entry of PUBLIC_ENTRIES) {
    const conditions = pkg.exports[entry];
    if (!conditions?.types || !conditions?.import)
      fail(`exports["${entry}"] needs both "types" and "import" targets`);
  }
  // The dashboard's page: plain files the build copies beside its module (tsc emits none).
  for (const asset of ['index.html', 'dashboard.js', 'dashboard.css']) {
    if (!shipped.has(`dist/dashboard/assets/${asset}`))
      fail(`the tarball has no dist/dashboard/assets/${asset}`);
  }
  for (const target of [pkg.main, pkg.types, pkg.bin['claude-actors']]) {
    if (!shipped.has(posix.normalize(target))) fail(`the tarball has no ${target}`);
  }
  for (const [entry, conditions] of Object.entries(pkg.exports)) {
    for (const target of typeof conditions === 'string'
      ? [conditions]
      : Object.values(conditions)) {
      if (!shipped.has(posix.normalize(target)))
        fail(`exports["${entry}"] names ${target}, not in the tarball`);
    }
  }
  const stray = files.filter(
    (f) => /^(test|bench|examples|scripts)\//.test(f) || f.endsWith('.tsbuildinfo'),
  );
  if (stray.length > 0) fail(`the tarball ships files it should not: ${stray.join(', ')}`);

  const extracted = join(work, 'extracted');
  mkdirSync(extracted);
  run('tar', ['-xzf', tarball, '-C', extracted], work);
  const base = join(extracted, 'package');
  let maps = 0;
  let sources = 0;
  for (const file of files) {
    // The dashboard's assets are served as they are: no build, no source map.
    if (/\.(js|d\.ts)$/.test(file) && !file.includes('/dashboard/assets/')) {
      const text = readFileSync(join(base, file), 'utf8');
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      if (!url) fail(`${file} has no sourceMappingURL`);
      const map = posix.join(posix.dirname(file), url);
      if (!shipped.has(map)) fail(`${file} points to ${url}, not in the tarball`);
    }
    if (!file.endsWith('.map')) continue;
    maps += 1;
    const map = JSON.parse(readFileSync(join(base, file), 'utf8'));
    if (!Array.isArray(map.sources) || map.sources.length === 0) fail(`${file} names no sources`);
    for (const source of map.sources) {
      const path = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? '', source));
      if (!shipped.has(path))
        fail(`${file} names the source ${source} (${path}), not in the tarball`);
      sources += 1;
    }
  }
  if (maps === 0) fail('the tarball has no source maps');
  log(`tarball: ${files.length} files, ${maps} maps naming ${sources} sources, all shipped`);
}

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    outDir: 'build',
    rootDir: 'src',
  },
  include: ['src'],
};

/** A user's program: the main API typed against the user's zod, rxjs and xstate. */
const CONSUMER_PROGRAM = `import { strict as assert } from 'node:assert';
import { lastValueFrom, toArray } from 'rxjs';
import { createActor, fromPromise } from 'xstate';
import { z } from 'zod';
import {
  createRuntime,
  createSupervisor,
  parallel,
  pipeline,
  type QueryResult,
  type Runtime,
  runQuery,
  type StatsEntry,
  serveDashboard,
  supervisorClient,
} from 'claude-actors';
import * as root from 'claude-actors';
import {
  type CliMessage as WireMessage,
  isProtocolError,
  parseCliLine,
  ResultMessageSchema,
  serializeHostMessage,
  userMessage,
} from 'claude-actors/protocol';
import { createSimulatedEnvironment, waitForNoLiveProcesses } from 'claude-actors/testing';

// The wire schemas are behind claude-actors/protocol; the root has the message types only.
// @ts-expect-error: not exported by the root
void root.ResultMessageSchema;
assert.equal('ResultMessageSchema' in root, false);
assert.equal('takeSample' in root, false);
const line = parseCliLine('{"type":"result","subtype":"success","is_error":false}');
assert.ok(line !== undefined && !isProtocolError(line) && line.type === 'result');
const wire: WireMessage = line;
const root_: root.CliMessage = wire;
assert.equal(ResultMessageSchema.safeParse(root_).success, true);
assert.match(serializeHostMessage(userMessage('hi')), /"type":"user"/);

/** Patterns, type-checked only: they would run one query per file. */
export async function review(runtime: Runtime, files: readonly string[]): Promise<string[]> {
  const run = parallel(runtime, files.map((f) => ({ id: f, prompt: \`Review \${f}\` })), {
    maxConcurrent: 2,
    mode: 'settle-all',
  });
  const { results } = await run.result;
  const chained = await pipeline(runtime, [
    { id: 'outline', prompt: 'Outline it.' },
    { id: 'draft', prompt: 'Write it.' },
  ]).result;
  return [...results.map((r: QueryResult) => r.status), chained.status];
}

const Answer = z.object({ city: z.string(), population: z.number().int() });

const env = await createSimulatedEnvironment();
try {
  env.simulator.on('capital', {
    kind: 'tool_use',
    name: 'StructuredOutput',
    input: { city: 'Paris', population: 2_100_000 },
  });
  // The user's zod schema: structuredOutput is typed from it.
  const handle = runQuery('capital as JSON', { ...env.options, outputSchema: Answer });
  const messages = lastValueFrom(handle.messages$.pipe(toArray()));
  const result = await handle.result;
  const city: string | undefined = result.structuredOutput?.city;
  const population: number | undefined = result.structuredOutput?.population;
  assert.equal(result.status, 'succeeded', result.error?.message);
  assert.equal(city, 'Paris');
  assert.equal(population, 2_100_000);
  assert.ok((await messages).some((m) => m.type === 'result'));

  // A runtime and a supervisor, started and stopped without a query.
  const runtime = createRuntime({ defaults: env.options });
  const total: StatsEntry = runtime.stats().total;
  assert.equal(total.queries, 0);
  // The dashboard serves its page from the installed package's files.
  const dashboard = await serveDashboard(runtime);
  const page = await fetch(dashboard.url);
  assert.equal(page.status, 200);
  assert.ok((await page.text()).includes('<title>claude-actors dashboard'));
  assert.equal((await fetch(\`\${dashboard.url}dashboard.js\`)).status, 200);
  await dashboard.close();
  await runtime.stop();

  const supervisor = createActor(
    createSupervisor({ strategy: 'one_for_one', intensity: 1, period: 5 }, [
      { id: 'worker', start: () => fromPromise(() => new Promise<never>(() => {})) },
    ]),
  ).start();
  const client = supervisorClient(supervisor);
  assert.deepEqual(
    client.whichChildren().map((c) => c.id),
    ['worker'],
  );
  await client.stop();
  await waitForNoLiveProcesses(10_000);
  console.log(\`consumer: \${result.status} \${city}\`);
} finally {
  await env.close();
}
`;

function installedVersion(consumer, name) {
  return JSON.parse(readFileSync(join(consumer, 'node_modules', name, 'package.json'), 'utf8'))
    .version;
}

/** Installs the tarball with these peers, type-checks and runs the program. */
function consumerRun(consumer, tarball, peers, label) {
  const dev = pkg.devDependencies;
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      tarball,
      ...Object.entries(peers).map(([name, version]) => `${name}@${version}`),
      `@anthropic-ai/claude-code@${dev['@anthropic-ai/claude-code']}`,
      `typescript@${dev.typescript}`,
      `@types/node@${dev['@types/node']}`,
    ],
    consumer,
  );
  const versions = Object.keys(peers).map((name) => `${name} ${installedVersion(consumer, name)}`);
  log(`${label}: ${versions.join(', ')}`);
  for (const name of Object.keys(peers)) {
    const nested = join(consumer, 'node_modules', 'claude-actors', 'node_modules', name);
    if (existsSync(nested))
      fail(`${label}: claude-actors has its own ${name}; it must use the user's`);
  }
  run(join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], consumer);
  const out = run(process.execPath, ['build/main.js'], consumer);
  process.stdout.write(out);
  if (!out.includes('consumer: succeeded Paris')) fail(`${label}: the program did not succeed`);
  const version = run(
    join(consumer, 'node_modules', '.bin', 'claude-actors'),
    ['--version'],
    consumer,
  );
  if (version.trim() !== pkg.version) fail(`${label}: claude-actors --version printed ${version}`);
}

try {
  const { tarball, files } = pack();
  checkTarball(tarball, files);

  const consumer = join(work, 'consumer');
  mkdirSync(join(consumer, 'src'), { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(join(consumer, 'tsconfig.json'), `${JSON.stringify(CONSUMER_TSCONFIG, null, 2)}\n`);
  writeFileSync(join(consumer, 'src', 'main.ts'), CONSUMER_PROGRAM);

  const peerNames = ['zod', 'rxjs', 'xstate'];
  for (const name of peerNames) {
    if (!pkg.peerDependencies?.[name]) fail(`${name} is not a peer dependency`);
    if (pkg.dependencies?.[name]) fail(`${name} is both a dependency and a peer dependency`);
  }
  const newest = Object.fromEntries(peerNames.map((n) => [n, pkg.peerDependencies[n]]));
  const zods = [];
  consumerRun(consumer, tarball, newest, 'newest peers');
  zods.push(installedVersion(consumer, 'zod'));
  const lowest = Object.fromEntries(peerNames.map((n) => [n, floorOf(n, pkg.peerDependencies[n])]));
  consumerRun(consumer, tarball, lowest, 'lowest peers');
  zods.push(installedVersion(consumer, 'zod'));
  // The point of the exercise: a user's zod schema against our types, their zod not ours.
  if (zods.every((version) => version === pkg.devDependencies.zod)) {
    fail(`the user's zod was always ${pkg.devDependencies.zod}, the one we build with`);
  }
  log(`ok in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  if (process.env.KEEP_CONSUMER === '1') log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
