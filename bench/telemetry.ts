/**
 * Overhead of tracing + metrics per query (run on demand: `npm run bench:telemetry`), against
 * the wall time of a real query (the real CLI against the built-in simulator).
 *
 * 1. Recording: CPU µs to trace one query attempt with the OpenTelemetry SDK (in-memory
 *    exporter): its invoke_agent span from a realistic message stream (init, 5 tool calls and
 *    their results, 3 texts, the result) and its 5 execute_tool spans, plus its metrics counts.
 * 2. In the runtime: CPU µs per query of a runtime with the SDK recording, minus the same
 *    runtime with no SDK registered (the default, where spans are no-ops), on a fake CLI.
 * 3. A Prometheus scrape of `runtime.metrics()` (ms), which is per scrape, not per query.
 * 4. The wall time of a real query, and the ratios (goal: < 1 %).
 */
import { performance } from 'node:perf_hooks';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ApiError } from '../src/machines/query/errors/api-error.js';
import type { QueryEvent } from '../src/machines/query/query-types.js';
import type { CliMessage } from '../src/protocol/cli-message.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import type { RuntimeOptions } from '../src/runtime/runtime-options.js';
import { LabeledCounts } from '../src/telemetry/metrics/labeled-counts.js';
import { QueryTrace } from '../src/telemetry/tracing/query-trace.js';
import { createSimulatedEnvironment } from '../src/testing/create-simulated-environment.js';
import { fakeSpawn } from '../test/helpers/fake-spawn.js';

const sdk = () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, provider };
};

const m = (message: Record<string, unknown>): QueryEvent => ({
  type: 'query.message',
  attempt: 1,
  message: { session_id: 's', uuid: 'u', parent_tool_use_id: null, ...message } as CliMessage,
});
const stream: QueryEvent[] = [
  m({ type: 'system', subtype: 'init', model: 'claude-sonnet-4-5', tools: [] }),
  ...Array.from({ length: 5 }, (_, i) => [
    m({ type: 'assistant', message: { content: [{ type: 'text', text: 'Let me look.' }] } }),
    m({
      type: 'assistant',
      message: { content: [{ type: 'tool_use', id: `t${i}`, name: 'Read', input: {} }] },
    }),
    m({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: `t${i}` }] } }),
  ]).flat(),
  m({
    type: 'result',
    subtype: 'success',
    is_error: false,
    total_cost_usd: 0.01,
    usage: { input_tokens: 1000, output_tokens: 200 },
  }),
];

function recordingUs(queries: number): number {
  const { exporter, provider } = sdk();
  const tracer = provider.getTracer('bench');
  const retries = new LabeledCounts();
  const error = new ApiError({ status: 529 });
  const once = (i: number) => {
    const trace = new QueryTrace(tracer, ROOT_CONTEXT, {
      queryId: `q${i}`,
      model: 'sonnet',
      tags: ['t'],
    });
    trace.startAttempt(1);
    for (const event of stream) trace.event(event);
    retries.inc({ reason: error.code });
    trace.end({ status: 'succeeded', error: undefined } as never);
  };
  for (let i = 0; i < 2_000; i++) once(i);
  exporter.reset();
  const start = process.cpuUsage();
  for (let i = 0; i < queries; i++) {
    once(i);
    if (i % 1_000 === 999) exporter.reset();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / queries;
}

async function runtimeCpuUs(options: RuntimeOptions, queries: number): Promise<number> {
  const runtime = createRuntime({
    defaults: { executable: process.execPath },
    processes: { spawn: fakeSpawn },
    ...options,
  });
  const batch = async (n: number) => {
    for (let i = 0; i < n; i += 250) {
      const handles = Array.from({ length: Math.min(250, n - i) }, () => runtime.query('q'));
      await Promise.all(handles.map((h) => h.result));
    }
  };
  await batch(1_000);
  const start = process.cpuUsage();
  await batch(queries);
  const used = process.cpuUsage(start);
  await runtime.stop();
  return (used.user + used.system) / queries;
}

async function scrapeMs(): Promise<number> {
  const runtime = createRuntime({
    defaults: { executable: process.execPath },
    processes: { spawn: fakeSpawn },
  });
  await Promise.all(
    Array.from({ length: 200 }, (_, i) => runtime.query('q', {}, { tags: [`t${i % 20}`] }).result),
  );
  const registry = runtime.metrics();
  await registry.metrics();
  const start = performance.now();
  for (let i = 0; i < 50; i++) await registry.metrics();
  const ms = (performance.now() - start) / 50;
  await runtime.stop();
  return ms;
}

async function realQueryMs(count: number): Promise<number> {
  const sim = await createSimulatedEnvironment();
  sim.simulator.on('bench', { kind: 'text', text: 'ok' });
  const { provider } = sdk();
  const runtime = createRuntime({ defaults: sim.options, telemetry: { tracerProvider: provider } });
  try {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      const result = await runtime.query('bench').result;
      if (result.status !== 'succeeded') throw new Error(`bench query ${result.status}`);
      times.push(performance.now() - start);
    }
    return times.reduce((a, b) => a + b, 0) / times.length;
  } finally {
    await runtime.stop();
    await sim.close();
  }
}

const recording = recordingUs(20_000);
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const noSdk: number[] = [];
const withSdk: number[] = [];
for (let round = 0; round < 3; round++) {
  noSdk.push(await runtimeCpuUs({}, 4_000));
  withSdk.push(await runtimeCpuUs({ telemetry: { tracerProvider: sdk().provider } }, 4_000));
}
const inRuntime = Math.max(0, median(withSdk) - median(noSdk));
const scrape = await scrapeMs();
const wall = await realQueryMs(3);
const pct = (us: number) => `${((us / 1000 / wall) * 100).toFixed(4)} %`;
const rows = {
  'recording one query (SDK, 1 agent + 5 tool spans), µs CPU': recording.toFixed(1),
  'runtime query, no SDK (default), µs CPU': median(noSdk).toFixed(0),
  'runtime query, SDK recording, µs CPU': median(withSdk).toFixed(0),
  'tracing cost in the runtime (difference), µs CPU': inRuntime.toFixed(0),
  'metrics scrape (19 metrics, 20 tags), ms': scrape.toFixed(2),
  'real query wall time (CLI + simulator), ms': wall.toFixed(0),
  'recording / real query': pct(recording),
  'runtime tracing cost / real query': pct(inRuntime),
};
for (const [what, value] of Object.entries(rows))
  process.stdout.write(`${what.padEnd(58)} ${value}\n`);
