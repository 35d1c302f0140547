import type { z } from 'zod';

/** One piece of a tool's result, as MCP has them (text is what the model reads). */
export type ToolResultContent =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image'; readonly data: string; readonly mimeType: string }
  | { readonly type: string; readonly [field: string]: unknown };

/** What a tool returns: MCP's `CallToolResult`. `isError` makes it a tool error for the model. */
export interface ToolResult {
  readonly content: readonly ToolResultContent[];
  readonly isError?: boolean;
  readonly structuredContent?: Record<string, unknown>;
}

/** What a tool handler is told besides its arguments. */
export interface ToolContext {
  /** Aborted when the CLI cancels the call, the call times out or the session ends. */
  readonly signal: AbortSignal;
}

/** A tool served in-process to the CLI (see {@link tool} and `createSdkMcpServer`). */
export interface SdkTool<S extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  /** Validates the arguments the model sends; its JSON Schema is what the model sees. */
  readonly inputSchema: S;
  readonly handler: (
    args: z.output<S>,
    context: ToolContext,
  ) => Promise<ToolResult | string> | ToolResult | string;
}

/**
 * Defines a tool the CLI can call in this process: zod-typed arguments, validated before the
 * handler runs (invalid ones become a tool error the model reads, never a call). The handler
 * returns MCP content, or a string for one text block; throwing becomes a tool error too.
 *
 * @example
 * ```ts
 * const add = tool('add', 'Adds two numbers', z.object({ a: z.number(), b: z.number() }),
 *   async ({ a, b }) => `${a + b}`);
 * const calc = createSdkMcpServer({ name: 'calc', tools: [add] });
 * const session = runtime.session({ sdkMcpServers: [calc] }); // the model calls mcp__calc__add
 * ```
 */
export function tool<S extends z.ZodObject>(
  name: string,
  description: string,
  inputSchema: S,
  handler: SdkTool<S>['handler'],
): SdkTool<S> {
  return { name, description, inputSchema, handler };
}
