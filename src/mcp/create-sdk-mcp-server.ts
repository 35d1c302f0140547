import { z } from 'zod';
import { describeIssue, InvalidOptionsError } from '../core/validation/invalid-options-error.js';
import { issuesOf } from '../core/validation/issues-of.js';
import { renderValue } from '../core/validation/render-value.js';
import { safeValidate, validate } from '../core/validation/validate.js';
import type { SdkTool, ToolResult } from './sdk-tool.js';

/** A JSON-RPC 2.0 message, as `mcp_message` control requests carry them. */
export interface JsonRpcMessage {
  readonly jsonrpc?: string;
  readonly id?: string | number | null;
  readonly method?: string;
  readonly params?: unknown;
  readonly [field: string]: unknown;
}

/** An MCP server living in this process, served to the CLI over the control protocol. */
export interface SdkMcpServer {
  readonly type: 'sdk';
  readonly name: string;
  readonly version: string;
  readonly tools: readonly SdkTool[];
  /**
   * Answers one JSON-RPC message from the CLI: the response of a request, `undefined` for a
   * notification. Never rejects: failures are JSON-RPC errors or tool errors.
   */
  handle(message: JsonRpcMessage, signal: AbortSignal): Promise<JsonRpcMessage | undefined>;
}

const NAME = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, {
  error:
    'expected 1 to 64 letters, digits, `_` or `-` (it becomes part of `mcp__<server>__<tool>`)',
});
const OptionsSchema = z.strictObject({
  name: NAME,
  version: z.string().min(1).default('1.0.0'),
  tools: z
    .array(
      z.custom<SdkTool>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as SdkTool).handler === 'function' &&
          (v as SdkTool).inputSchema instanceof z.ZodObject &&
          NAME.safeParse((v as SdkTool).name).success,
        { error: 'expected a tool made by `tool(name, description, z.object(...), handler)`' },
      ),
    )
    .default([]),
});

/** Options of {@link createSdkMcpServer}. */
export type SdkMcpServerOptions = z.input<typeof OptionsSchema>;

const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;

/**
 * An MCP server in this process (the equivalent of the Agent SDK's `createSdkMcpServer`): the
 * CLI lists and calls its tools through `mcp_message` control requests, as `mcp__<name>__<tool>`.
 * Give it to a session with the `sdkMcpServers` option.
 *
 * @throws {@link InvalidOptionsError} for a bad name, a tool that is not one, or two tools
 *   with one name.
 */
export function createSdkMcpServer(options: SdkMcpServerOptions): SdkMcpServer {
  const { name, version, tools } = validate(OptionsSchema, options, { what: 'MCP server option' });
  const byName = new Map<string, SdkTool>();
  tools.forEach((t, index) => {
    if (byName.has(t.name)) {
      throw new InvalidOptionsError(
        [
          {
            path: `tools[${index}].name`,
            message: `expected a name no other tool of MCP server \`${name}\` has`,
            received: renderValue(t.name),
          },
        ],
        'MCP server option',
      );
    }
    byName.set(t.name, t);
  });
  const listed = tools.map((t) => ({
    name: t.name,
    description: t.description,
    inputSchema: inputJsonSchema(t.inputSchema),
  }));
  return {
    type: 'sdk',
    name,
    version,
    tools,
    async handle(message, signal) {
      const id = message.id;
      if (id === undefined || id === null) return undefined; // a notification
      const reply = (result: unknown): JsonRpcMessage => ({ jsonrpc: '2.0', id, result });
      const error = (code: number, text: string): JsonRpcMessage => ({
        jsonrpc: '2.0',
        id,
        error: { code, message: text },
      });
      const params = (message.params ?? {}) as Record<string, unknown>;
      switch (message.method) {
        case 'initialize':
          return reply({
            protocolVersion:
              typeof params.protocolVersion === 'string' ? params.protocolVersion : '2025-06-18',
            capabilities: { tools: {} },
            serverInfo: { name, version },
          });
        case 'ping':
          return reply({});
        case 'tools/list':
          return reply({ tools: listed });
        case 'tools/call': {
          const called = typeof params.name === 'string' ? byName.get(params.name) : undefined;
          if (!called) return error(INVALID_PARAMS, `Unknown tool: ${String(params.name)}`);
          return reply(await callTool(called, params.arguments ?? {}, signal));
        }
        default:
          return error(METHOD_NOT_FOUND, `Method not found: ${String(message.method)}`);
      }
    },
  };
}

async function callTool(t: SdkTool, args: unknown, signal: AbortSignal): Promise<ToolResult> {
  const parsed = safeValidate(t.inputSchema, args);
  if (!parsed.success) {
    const problems = issuesOf(parsed.error, args).map(describeIssue).join('; ');
    return toolError(`Invalid arguments for ${t.name}: ${problems}`);
  }
  try {
    const result = await t.handler(parsed.data, { signal });
    if (typeof result === 'string') return { content: [{ type: 'text', text: result }] };
    if (typeof result !== 'object' || result === null || !Array.isArray(result.content)) {
      return toolError(`Tool ${t.name} returned something that is not a tool result`);
    }
    return result;
  } catch (thrown) {
    return toolError(
      `Tool ${t.name} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    );
  }
}

function toolError(text: string): ToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function inputJsonSchema(schema: z.ZodObject): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return rest;
}
