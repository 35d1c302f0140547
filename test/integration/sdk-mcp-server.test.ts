import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSession } from '../../src/machines/session/create-session.js';
import type { SessionOptions } from '../../src/machines/session/session-options.js';
import { createSdkMcpServer } from '../../src/mcp/create-sdk-mcp-server.js';
import { tool } from '../../src/mcp/sdk-tool.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
const opts = (extra: SessionOptions = {}): SessionOptions => ({ ...sim.env.options, ...extra });

describe('tools defined in code, called by the real CLI', () => {
  it('serves an in-process MCP tool to the CLI; its result and its errors reach the model', async () => {
    const calls: unknown[] = [];
    const calc = createSdkMcpServer({
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
    sim.env.simulator.on('add them', {
      kind: 'tool_use',
      name: 'mcp__calc__add',
      input: { a: 2, b: 40 },
    });
    sim.env.simulator.on('break it', { kind: 'tool_use', name: 'mcp__calc__explode', input: {} });
    sim.env.simulator.on('bad args', {
      kind: 'tool_use',
      name: 'mcp__calc__add',
      input: { a: 'two' },
    });
    sim.env.simulator.on((r) => r.hasToolResult, { kind: 'text', text: 'tool done' });
    const session = createSession(
      opts({ sdkMcpServers: [calc], allowedTools: ['mcp__calc__add', 'mcp__calc__explode'] }),
    );
    const added = await session.send('add them').result;
    expect(added.result.result).toBe('tool done');
    expect(calls).toEqual([{ a: 2, b: 40 }]);
    const results = () => sim.env.simulator.requests.flatMap((r) => r.toolResults);
    expect(results().at(-1)).toMatchObject({
      isError: false,
      content: expect.stringContaining('42'),
    });
    await session.send('break it').result;
    expect(results().at(-1)).toMatchObject({
      isError: true,
      content: expect.stringContaining('kaboom'),
    });
    await session.send('bad args').result;
    expect(results().at(-1)).toMatchObject({
      isError: true,
      content: expect.stringMatching(/Invalid arguments for add: .*`a`/),
    });
    expect(calls).toHaveLength(1);
    await session.close();
  }, 60_000);
});
