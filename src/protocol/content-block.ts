import { z } from 'zod';

/**
 * Any content block of a Messages API message. Only `type` is checked: new block types pass
 * through untouched.
 */
export const ContentBlockSchema = z.looseObject({ type: z.string() });

/** A content block of any type; narrow on `type` (see {@link TextBlock}, {@link ToolUseBlock}). */
export type ContentBlock = z.infer<typeof ContentBlockSchema>;

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
