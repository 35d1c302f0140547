import { validate } from '../core/validation/validate.js';
import { type HostMessage, HostMessageSchema } from './host-message.js';

/**
 * Turns a host message into one stdin line: validated JSON and a trailing `\n`.
 *
 * @throws {@link InvalidOptionsError} (subject `host message`) when the message does not match
 *   its schema, e.g. a content block without `type`. Nothing half-valid reaches the CLI.
 * @example
 * ```ts
 * child.stdin.write(serializeHostMessage(userMessage('hi')));
 * ```
 */
export function serializeHostMessage(msg: HostMessage): string {
  validate(HostMessageSchema, msg, { what: 'host message' });
  // The original object is written, not zod's copy: key order and every field stay as given.
  return `${JSON.stringify(msg)}\n`;
}
