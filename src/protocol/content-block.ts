import { z } from 'zod';
import { safeValidate } from '../core/validation/validate.js';

// Every block schema is a loose object: fields the API adds later are kept.

/** A `text` content block. */
export const TextBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

/** A `text` content block. */
export type TextBlock = z.infer<typeof TextBlockSchema>;

/** A `tool_use` content block: a tool call made by the model. */
export const ToolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});

/** A `tool_use` content block: a tool call made by the model. */
export type ToolUseBlock = z.infer<typeof ToolUseBlockSchema>;

/** A `tool_result` content block: what a tool returned, sent back in a user message. */
export const ToolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.unknown().optional(),
  is_error: z.boolean().optional(),
});

/** A `tool_result` content block: what a tool returned, sent back in a user message. */
export type ToolResultBlock = z.infer<typeof ToolResultBlockSchema>;

/** Where an `image` or `document` block's data comes from: `base64`, `url`, `file`, `text`... */
const BlockSourceSchema = z.looseObject({ type: z.string().min(1) });

/** An `image` content block (`source`: base64 data, a URL or a file id). */
export const ImageBlockSchema = z.looseObject({
  type: z.literal('image'),
  source: BlockSourceSchema,
});

/** An `image` content block. */
export type ImageBlock = z.infer<typeof ImageBlockSchema>;

/** A `document` content block: a PDF or text document (`source`: base64, URL, text, file). */
export const DocumentBlockSchema = z.looseObject({
  type: z.literal('document'),
  source: BlockSourceSchema,
});

/** A `document` content block. */
export type DocumentBlock = z.infer<typeof DocumentBlockSchema>;

/** A `thinking` content block: the model's extended thinking, with its signature. */
export const ThinkingBlockSchema = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().optional(),
});

/** A `thinking` content block. */
export type ThinkingBlock = z.infer<typeof ThinkingBlockSchema>;

/** A `redacted_thinking` content block: thinking the API returns encrypted. */
export const RedactedThinkingBlockSchema = z.looseObject({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

/** A `redacted_thinking` content block. */
export type RedactedThinkingBlock = z.infer<typeof RedactedThinkingBlockSchema>;

/** The content blocks this library knows, each checked against its schema when parsed. */
export const KnownContentBlockSchema = z.discriminatedUnion('type', [
  TextBlockSchema,
  ToolUseBlockSchema,
  ToolResultBlockSchema,
  ImageBlockSchema,
  DocumentBlockSchema,
  ThinkingBlockSchema,
  RedactedThinkingBlockSchema,
]);

/** A content block of a type this library knows: narrow it with `switch (block.type)`. */
export type KnownContentBlock = z.infer<typeof KnownContentBlockSchema>;

/** The `type` of each {@link KnownContentBlock}. */
export type KnownContentBlockType = KnownContentBlock['type'];

const KNOWN_BLOCK_TYPES: ReadonlySet<string> = new Set<KnownContentBlockType>([
  'text',
  'tool_use',
  'tool_result',
  'image',
  'document',
  'thinking',
  'redacted_thinking',
]);

/**
 * A content block of a type this library does not know (`server_tool_use`, a block type the
 * API adds later...), passed through untouched. Its `type` is never a known one: a block of a
 * known type that does not match that type's schema fails the parse instead.
 */
export interface OtherContentBlock {
  readonly type: string;
  readonly [field: string]: unknown;
}

/**
 * Any content block of a Messages API message: a block of a known `type` is checked against
 * that type's schema (its issues name the field), any other type passes through untouched.
 */
// The one cast of a parsed block, here where it is made true: the refinement checks every block
// of a known `type` against that type's schema (a union would report "invalid input" instead of
// the field at fault), so the output is a `ContentBlock` and consumers narrow it without casts.
export const ContentBlockSchema = z.looseObject({ type: z.string() }).superRefine((block, ctx) => {
  if (!KNOWN_BLOCK_TYPES.has(block.type)) return;
  const parsed = safeValidate(KnownContentBlockSchema, block);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  }
}) as unknown as z.ZodType<
  ContentBlock,
  z.input<typeof KnownContentBlockSchema> | OtherContentBlock
>;

/**
 * A content block: a {@link KnownContentBlock} or an {@link OtherContentBlock}. TypeScript
 * cannot tell `"text"` apart from the `string` type of other blocks, so narrow with
 * {@link isKnownContentBlock} (then `switch (block.type)`) or {@link isContentBlockOf}.
 */
export type ContentBlock = KnownContentBlock | OtherContentBlock;

/**
 * Whether a parsed block is of a type this library knows. Trusted: the parse checked every
 * block of a known type against its schema.
 *
 * @example
 * ```ts
 * const toolNames: string[] = [];
 * for (const block of message.message.content) {
 *   if (!isKnownContentBlock(block)) continue;
 *   if (block.type === 'tool_use') toolNames.push(block.name);
 * }
 * ```
 */
export function isKnownContentBlock(block: ContentBlock): block is KnownContentBlock {
  return KNOWN_BLOCK_TYPES.has(block.type);
}

/**
 * Whether a parsed block is of the known type `type`, e.g. `isContentBlockOf(block, 'text')`
 * narrows it to a {@link TextBlock}.
 */
export function isContentBlockOf<T extends KnownContentBlockType>(
  block: ContentBlock,
  type: T,
): block is Extract<KnownContentBlock, { type: T }> {
  return block.type === type;
}
