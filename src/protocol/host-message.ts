import { z } from 'zod';
import { ContentBlockSchema } from './content-block.js';
import {
  type ControlCancelRequestMessage,
  ControlCancelRequestMessageSchema,
  type ControlResponseMessage,
  ControlResponseMessageSchema,
  HostControlRequestSchema,
} from './control.js';

/**
 * A user turn written to the CLI's stdin. Each one starts a turn; `session_id` may be empty
 * (the CLI fills in its own).
 */
export const HostUserMessageSchema = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(ContentBlockSchema)]),
  }),
  parent_tool_use_id: z.string().nullable(),
  session_id: z.string(),
});

/** A user turn written to the CLI's stdin. */
export type HostUserMessage = z.infer<typeof HostUserMessageSchema>;

const KNOWN_HOST_SUBTYPES: ReadonlySet<string> = new Set(
  HostControlRequestSchema.options.map((schema) => schema.shape.subtype.value as string),
);

/**
 * A host request of a subtype without a schema here (see `OtherHostControlRequest`): a known
 * subtype must match its own schema instead.
 */
const OtherHostControlRequestSchema = z.looseObject({
  subtype: z.string().refine((subtype) => !KNOWN_HOST_SUBTYPES.has(subtype), {
    message: 'a known control request subtype must match its own schema',
  }),
});

/** A `control_request` from the host to the CLI (`initialize`, `interrupt`, `set_model`...). */
export const HostControlRequestMessageSchema = z.looseObject({
  type: z.literal('control_request'),
  request_id: z.string().min(1),
  request: z.union([HostControlRequestSchema, OtherHostControlRequestSchema]),
});

/** A `control_request` from the host to the CLI. */
export type HostControlRequestMessage = z.infer<typeof HostControlRequestMessageSchema>;

/** Everything a host may write on the CLI's stdin, discriminated on `type`. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  HostUserMessageSchema,
  HostControlRequestMessageSchema,
  ControlResponseMessageSchema,
  ControlCancelRequestMessageSchema,
]);

/** Everything a host may write on the CLI's stdin. */
export type HostMessage =
  | HostUserMessage
  | HostControlRequestMessage
  | ControlResponseMessage
  | ControlCancelRequestMessage;
