/**
 * Per-query wall time through the query actor vs a bare spawn of the same CLI with the same
 * prompt, both against the simulator. Runs alternate (bare, actor, bare, actor…) so that drift
 * of the machine affects both alike; prints medians and the ratio.
 *
 *   npm run bench              # 20 runs each
 *   npm run bench -- --runs 40
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { runQuery } from '../src/machines/query/run-query.js';
import { buildEnv } from '../src/process/spawn/build-env.js';
import { resolveExecutable } from '../src/process/spawn/resolve-executable.js';
import { createSimulatedEnvironment } from '../src/testing/create-simulated-environment.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
const prompt = 'Reply with a short greeting.';
const env = await createSimulatedEnvironment();
const executable = resolveExecutable();
const cliEnv = buildEnv({ extra: { ...env.options.env, CLAUDE_CODE_MAX_RETRIES: '0' } });

/** The baseline: what a user would write by hand, one-shot print mode, read stdout to the end. */
function bare(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(executable, ['-p', prompt, '--output-format', 'stream-json', '--verbose'], {
      env: cliEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || !out.includes('"type":"result"'))
        reject(new Error(`bare run failed: ${code}`));
      else resolve(performance.now() - started);
    });
  });
}

async function actor(): Promise<number> {
  const started = performance.now();
  const result = await runQuery(prompt, env.options).result;
  if (result.status !== 'succeeded') throw new Error(`actor run failed: ${result.error?.message}`);
  return performance.now() - started;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const p90 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;

// Warm up the page cache for the 380 MB binary and the JIT of both paths.
for (let i = 0; i < 2; i++) {
  await bare();
  await actor();
}
const bareTimes: number[] = [];
const actorTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  bareTimes.push(await bare());
  actorTimes.push(await actor());
}
await env.close();

const fmt = (n: number): string => `${n.toFixed(0)} ms`;
console.log(`runs: ${runs} each, alternating; CLI ${executable}`);
console.log(`bare CLI   median ${fmt(median(bareTimes))}  p90 ${fmt(p90(bareTimes))}`);
console.log(`query actor median ${fmt(median(actorTimes))}  p90 ${fmt(p90(actorTimes))}`);
console.log(
  `ratio (actor / bare, medians): ${(median(actorTimes) / median(bareTimes)).toFixed(3)}`,
);
