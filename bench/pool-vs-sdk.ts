/**
 * Warm pool vs cold start, and claude-actors vs the official Agent SDK, on the same prompt
 * against the same simulator with the same CLI binary, in one run:
 * - latency of one query: cold (`runQuery`, SDK `query()`), warm (pool with a process ready,
 *   SDK `startup()` then `query()` on the warm handle);
 * - throughput: 8 queries one after another, and 8 at once, with and without the pool.
 *
 *   npm run bench:pool            # 10 latency runs each
 *   npm run bench:pool -- --runs 20
 */
import { parseArgs } from 'node:util';
import { query as sdkQuery, startup as sdkStartup } from '@anthropic-ai/claude-agent-sdk';
import { parseQueryOptions } from '../src/machines/query/options/parse-options.js';
import { spawnOptionsFor } from '../src/machines/query/options/spawn-options-for.js';
import { runQuery } from '../src/machines/query/run-query.js';
import { ProcessPool } from '../src/process/pool/process-pool.js';
import { resolveExecutable } from '../src/process/spawn/resolve-executable.js';
import { createSimulatedEnvironment } from '../src/testing/create-simulated-environment.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const prompt = 'Reply with a short greeting.';
const env = await createSimulatedEnvironment();
const executable = resolveExecutable();
const sdkEnv = { ...process.env, ...env.options.env, CLAUDE_CODE_MAX_RETRIES: '0' };
const sdkOptions = { pathToClaudeCodeExecutable: executable, env: sdkEnv, maxTurns: 1 };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const time = async (fn: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
};

async function actorsCold(): Promise<void> {
  const r = await runQuery(prompt, env.options).result;
  if (r.status !== 'succeeded') throw new Error(r.error?.message);
}
async function sdkCold(): Promise<void> {
  for await (const m of sdkQuery({ prompt, options: sdkOptions })) {
    if (m.type === 'result' && m.is_error)
      throw new Error(String((m as { result?: unknown }).result));
  }
}
const pool = new ProcessPool({ size: 1, maxIdle: 8 });
const template = spawnOptionsFor(parseQueryOptions(env.options));
async function actorsWarm(): Promise<number> {
  if (pool.stats().idle === 0) pool.prewarm(template, 1);
  await until(() => pool.stats().idle >= 1);
  await new Promise((r) => setTimeout(r, 300)); // let the warm process finish starting
  return time(async () => {
    const r = await runQuery(prompt, env.options, { spawn: pool.spawn }).result;
    if (r.status !== 'succeeded') throw new Error(r.error?.message);
  });
}
async function sdkWarm(): Promise<number> {
  const warm = await sdkStartup({ options: sdkOptions });
  return time(async () => {
    for await (const m of warm.query(prompt)) void m;
  });
}

// Warm-up of the binary's page cache and both code paths.
await actorsCold();
await sdkCold();

const rows: Record<string, number[]> = { actorsCold: [], sdkCold: [], actorsWarm: [], sdkWarm: [] };
for (let i = 0; i < runs; i++) {
  rows.actorsCold!.push(await time(actorsCold));
  rows.sdkCold!.push(await time(sdkCold));
  rows.actorsWarm!.push(await actorsWarm());
  rows.sdkWarm!.push(await sdkWarm());
}

const N = 8;
const sequential = async (fn: () => Promise<unknown>) =>
  time(async () => {
    for (let i = 0; i < N; i++) await fn();
  });
const parallel = async (fn: () => Promise<unknown>) =>
  time(() => Promise.all(Array.from({ length: N }, fn)));
const pooled = () => runQuery(prompt, env.options, { spawn: pool.spawn }).result;
const throughput = {
  'sequential, no pool': await sequential(actorsCold),
  'sequential, pool (size 1)': await sequential(pooled),
  'sequential, SDK query()': await sequential(sdkCold),
  'parallel, no pool': await parallel(actorsCold),
  'parallel, pool (4 prewarmed)': await (async () => {
    pool.prewarm(template, 4);
    await until(() => pool.stats().idle >= 4);
    await new Promise((r) => setTimeout(r, 500));
    return parallel(pooled);
  })(),
  'parallel, SDK query()': await parallel(sdkCold),
};
await pool.close();
await env.close();

const ms = (n: number) => `${n.toFixed(0)} ms`;
console.log(`latency, median of ${runs} (CLI ${executable}):`);
console.log(
  `  cold: claude-actors ${ms(median(rows.actorsCold!))}, SDK query() ${ms(median(rows.sdkCold!))}, ratio ${(median(rows.actorsCold!) / median(rows.sdkCold!)).toFixed(2)}`,
);
console.log(
  `  warm: claude-actors pool ${ms(median(rows.actorsWarm!))}, SDK startup() ${ms(median(rows.sdkWarm!))}, ratio ${(median(rows.actorsWarm!) / median(rows.sdkWarm!)).toFixed(2)}`,
);
console.log(
  `  warm vs cold (claude-actors): ${(median(rows.actorsWarm!) / median(rows.actorsCold!)).toFixed(2)}`,
);
console.log(`throughput, ${N} queries:`);
for (const [name, t] of Object.entries(throughput)) {
  console.log(`  ${name.padEnd(30)} ${ms(t)}  (${((N / t) * 1000).toFixed(1)} queries/s)`);
}
