import { z } from 'zod';
import { InvalidOptionsError } from '../../core/validation/invalid-options-error.js';
import { renderValue } from '../../core/validation/render-value.js';
import { validate } from '../../core/validation/validate.js';
import { type HostControlRequest, HostControlRequestSchema } from '../../protocol/control.js';
import type { OtherHostControlRequest } from '../../protocol/host-control-requests.js';

const KNOWN: ReadonlyMap<string, z.ZodType> = new Map(
  HostControlRequestSchema.options.map(
    (schema) => [schema.shape.subtype.value as string, schema as z.ZodType] as const,
  ),
);

const ArgsSchema = z.strictObject({
  subtype: z.string().regex(/^[a-z][a-z0-9_]*$/, {
    error: 'expected a control request subtype in snake_case (e.g. `get_context_usage`)',
  }),
  payload: z.record(z.string(), z.unknown()),
});

/**
 * Checks a control request a caller asks a session to send: the subtype's own schema when
 * this library knows it (fields named in the error), else a plain object sent as given.
 * `initialize` is refused: the session sends it once, itself.
 *
 * @throws {@link InvalidOptionsError} naming the field and the value.
 * @internal
 */
export function parseHostControlRequest(
  subtype: unknown,
  payload: unknown = {},
): HostControlRequest | OtherHostControlRequest {
  const args = validate(ArgsSchema, { subtype, payload }, { what: 'control request' });
  if (args.subtype === 'initialize') {
    throw new InvalidOptionsError(
      [
        {
          path: 'subtype',
          message: 'expected a subtype other than `initialize` (the session sends it itself, once)',
          received: renderValue(args.subtype),
        },
      ],
      'control request',
    );
  }
  if ('subtype' in args.payload && args.payload.subtype !== args.subtype) {
    throw new InvalidOptionsError(
      [
        {
          path: 'payload.subtype',
          message: `expected no \`subtype\` in the payload, or \`${args.subtype}\``,
          received: renderValue(args.payload.subtype),
        },
      ],
      'control request',
    );
  }
  const request = { ...args.payload, subtype: args.subtype };
  const schema = KNOWN.get(args.subtype);
  if (!schema) return request;
  return validate(schema, request, {
    what: `\`${args.subtype}\` request field`,
  }) as HostControlRequest;
}
