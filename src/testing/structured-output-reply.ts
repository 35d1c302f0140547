import { sampleJsonSchema } from './sample-json-schema.js';
import type { SimToolUseReply } from './sim-reply.js';
import type { SimRequest } from './sim-request.js';

/** The tool through which the CLI takes a `--json-schema` answer. */
const STRUCTURED_OUTPUT_TOOL = 'StructuredOutput';

type Block = { type?: unknown; name?: unknown };

/**
 * The reply for a `--json-schema` query that no rule answers: a `StructuredOutput` call whose
 * input is generated from the tool's `input_schema` (see {@link sampleJsonSchema}). `undefined`
 * when the request offers no such tool, or carries the result of that call.
 *
 * @internal
 */
export function structuredOutputReply(request: SimRequest): SimToolUseReply | undefined {
  const body = request.body as { tools?: unknown; messages?: unknown };
  const tools = Array.isArray(body.tools) ? (body.tools as Array<Record<string, unknown>>) : [];
  const tool = tools.find((t) => t?.name === STRUCTURED_OUTPUT_TOOL);
  if (!tool) return undefined;
  // A follow-up that carries the result of our own call: the turn is to be finished with text.
  if (request.hasToolResult && lastAssistantCalled(body.messages)) return undefined;
  const input = sampleJsonSchema(tool.input_schema);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  return {
    kind: 'tool_use',
    name: STRUCTURED_OUTPUT_TOOL,
    input: input as Record<string, unknown>,
  };
}

function lastAssistantCalled(value: unknown): boolean {
  const messages = Array.isArray(value)
    ? (value as Array<{ role?: unknown; content?: unknown }>)
    : [];
  const lastAssistant = messages.findLast((m) => m?.role === 'assistant');
  return (
    Array.isArray(lastAssistant?.content) &&
    (lastAssistant.content as Block[]).some(
      (b) => b?.type === 'tool_use' && b.name === STRUCTURED_OUTPUT_TOOL,
    )
  );
}
