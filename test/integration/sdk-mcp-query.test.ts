import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { QueryEvent } from '../../src/machines/query/query-types.js';
import { runQuery } from '../../src/machines/query/run-query.js';
import { createSdkMcpServer } from '../../src/mcp/create-sdk-mcp-server.js';
import { tool } from '../../src/mcp/sdk-tool.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { eventually, isAlive, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();

function calculator(calls: unknown[]) {
  return createSdkMcpServer({
    name: 'calc',
    tools: [
      tool('add', 'Adds two numbers', z.object({ a: z.number(), b: z.number() }), ({ a, b }) => {
        calls.push({ a, b });
        return `${a + b}`;
      }),
      tool('explode', 'Always fails', z.object({}), () => {
        throw new Error('kaboom');
      }),
    ],
  });
}

const toolResults = () => sim.env.simulator.requests.flatMap((r) => r.toolResults);
const pidsOf = (events: readonly QueryEvent[]) =>
  events.flatMap((e) => (e.type === 'query.spawned' && e.pid !== undefined ? [e.pid] : []));

describe('tools defined in code, in one-shot queries (real CLI)', () => {
  it('runQuery serves an in-process tool: its result reaches the model, and the CLI exits', async () => {
    const calls: unknown[] = [];
    sim.env.simulator.on('add them', {
      kind: 'tool_use',
      name: 'mcp__calc__add',
      input: { a: 2, b: 40 },
    });
    sim.env.simulator.on((r) => r.hasToolResult, { kind: 'text', text: 'the sum is in' });
    const handle = runQuery('add them', {
      ...sim.env.options,
      sdkMcpServers: [calculator(calls)],
      allowedTools: ['mcp__calc__add'],
    });
    const events = firstValueFrom(handle.events$.pipe(toArray()));
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'succeeded', text: 'the sum is in', attempts: 1 });
    expect(calls).toEqual([{ a: 2, b: 40 }]);
    expect(toolResults().at(-1)).toMatchObject({
      isError: false,
      content: expect.stringContaining('42'),
    });
    // stdin was closed at the result: the CLI ends by itself, and nothing it started outlives it.
    const pids = pidsOf(await events);
    expect(pids).toHaveLength(1);
    expect(await eventually(() => pids.every((pid) => !isAlive(pid)), 10_000)).toBe(true);
  }, 60_000);

  it('runtime.query retries a failed attempt and the new CLI is served the tools again; a throwing tool is a tool error', async () => {
    const calls: unknown[] = [];
    const runtime = createRuntime({
      defaults: { ...sim.env.options, retry: { maxAttempts: 3, initialDelayMs: 50, jitter: 0 } },
    });
    try {
      sim.env.simulator.on('break it', [
        { kind: 'error', status: 529 },
        { kind: 'tool_use', name: 'mcp__calc__explode', input: {} },
      ]);
      sim.env.simulator.on((r) => r.hasToolResult, { kind: 'text', text: 'it broke' });
      const handle = runtime.query('break it', {
        sdkMcpServers: [calculator(calls)],
        allowedTools: ['mcp__calc__explode'],
        // The CLI's own retries would hide the 529 from the runtime.
        cliMaxRetries: 0,
      });
      const events = firstValueFrom(handle.events$.pipe(toArray()));
      const result = await handle.result;
      expect(result).toMatchObject({ status: 'succeeded', text: 'it broke', attempts: 2 });
      expect(result.attemptErrors[0]).toMatchObject({ code: 'API_ERROR', status: 529 });
      expect(toolResults().at(-1)).toMatchObject({
        isError: true,
        content: expect.stringContaining('kaboom'),
      });
      const pids = pidsOf(await events);
      expect(pids).toHaveLength(2);
      expect(await eventually(() => pids.every((pid) => !isAlive(pid)), 10_000)).toBe(true);
    } finally {
      await runtime.stop();
    }
  }, 60_000);
});
