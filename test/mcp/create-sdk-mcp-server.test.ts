import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { toCliArgs } from '../../src/machines/query/options/to-cli-args.js';
import { parseSessionOptions } from '../../src/machines/session/session-options.js';
import { createSdkMcpServer } from '../../src/mcp/create-sdk-mcp-server.js';
import { tool } from '../../src/mcp/sdk-tool.js';

const signal = new AbortController().signal;
const echo = tool(
  'echo',
  'Echoes',
  z.object({ text: z.string(), times: z.number().int().default(1) }),
  ({ text, times }) => text.repeat(times),
);
const server = createSdkMcpServer({ name: 'util', version: '2.0.0', tools: [echo] });
const call = (method: string, params?: unknown) =>
  server.handle({ jsonrpc: '2.0', id: 1, method, params }, signal);

describe('createSdkMcpServer', () => {
  it('answers initialize with its name, version and the client protocol version', async () => {
    expect(await call('initialize', { protocolVersion: '2025-03-26' })).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: {
        protocolVersion: '2025-03-26',
        capabilities: { tools: {} },
        serverInfo: { name: 'util', version: '2.0.0' },
      },
    });
  });

  it('lists its tools with the JSON Schema of their input', async () => {
    const listed = (await call('tools/list')) as { result: { tools: Record<string, unknown>[] } };
    expect(listed.result.tools).toEqual([
      {
        name: 'echo',
        description: 'Echoes',
        inputSchema: expect.objectContaining({
          type: 'object',
          properties: {
            text: { type: 'string' },
            times: expect.objectContaining({ type: 'integer' }),
          },
          required: ['text'],
        }),
      },
    ]);
  });

  it('calls a tool with its validated arguments (defaults applied)', async () => {
    expect(await call('tools/call', { name: 'echo', arguments: { text: 'ab', times: 2 } })).toEqual(
      {
        jsonrpc: '2.0',
        id: 1,
        result: { content: [{ type: 'text', text: 'abab' }] },
      },
    );
    expect(await call('tools/call', { name: 'echo', arguments: { text: 'x' } })).toMatchObject({
      result: { content: [{ type: 'text', text: 'x' }] },
    });
  });

  it('turns bad arguments, throws and non-results into tool errors, never calls with bad input', async () => {
    const bad = await call('tools/call', { name: 'echo', arguments: { text: 3 } });
    expect(bad).toMatchObject({
      result: {
        isError: true,
        content: [
          {
            type: 'text',
            text: expect.stringMatching(
              /Invalid arguments for echo: `text`: expected a string, got `3`/,
            ),
          },
        ],
      },
    });
    const failing = createSdkMcpServer({
      name: 'f',
      tools: [
        tool('throws', 't', z.object({}), () => {
          throw new Error('disk on fire');
        }),
        tool('weird', 'w', z.object({}), () => 42 as never),
      ],
    });
    const f = (name: string) =>
      failing.handle(
        { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name, arguments: {} } },
        signal,
      );
    expect(await f('throws')).toMatchObject({
      result: { isError: true, content: [{ text: 'Tool throws failed: disk on fire' }] },
    });
    expect(await f('weird')).toMatchObject({
      result: { isError: true, content: [{ text: expect.stringMatching(/not a tool result/) }] },
    });
  });

  it('answers unknown tools and methods with JSON-RPC errors, notifications with nothing', async () => {
    expect(await call('tools/call', { name: 'nope' })).toMatchObject({
      error: { code: -32602, message: 'Unknown tool: nope' },
    });
    expect(await call('resources/list')).toMatchObject({ error: { code: -32601 } });
    const notification = { jsonrpc: '2.0', method: 'notifications/initialized' };
    expect(await server.handle(notification, signal)).toBeUndefined();
    expect(await call('ping')).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
  });

  it('refuses bad names, things that are not tools and duplicate tools, naming the field', () => {
    expect(() => createSdkMcpServer({ name: 'has space' })).toThrow(
      /`name`: expected 1 to 64 letters/,
    );
    expect(() => createSdkMcpServer({ name: 'x', tools: [{ name: 'y' } as never] })).toThrow(
      /`tools\[0\]`: expected a tool/,
    );
    expect(() => createSdkMcpServer({ name: 'x', tools: [echo, echo] })).toThrow(
      InvalidOptionsError,
    );
    expect(() => createSdkMcpServer({ name: 'x', tools: [echo, echo] })).toThrow(
      /`tools\[1\].name`/,
    );
  });
});

describe('sessions with in-process servers', () => {
  it("add each server to the MCP config as type sdk, beside the caller's", () => {
    const options = parseSessionOptions({ mcpConfig: './mine.json', sdkMcpServers: [server] });
    const args = toCliArgs(options);
    const at = args.indexOf('--mcp-config');
    expect(args.slice(at + 1, at + 3)).toEqual([
      './mine.json',
      JSON.stringify({ mcpServers: { util: { type: 'sdk', name: 'util' } } }),
    ]);
    // Parsed again (a runtime's defaults, a restart), the entry is not added twice.
    expect(toCliArgs(parseSessionOptions(options)).filter((a) => a.includes('"sdk"'))).toHaveLength(
      1,
    );
  });

  it('refuse two servers with one name and things that are not servers', () => {
    expect(() => parseSessionOptions({ sdkMcpServers: [server, server] })).toThrow(
      /`sdkMcpServers\[1\].name`/,
    );
    expect(() => parseSessionOptions({ sdkMcpServers: [{ name: 'x' } as never] })).toThrow(
      /`sdkMcpServers\[0\]`: expected an MCP server/,
    );
  });
});
