import type { Logger } from 'pino';
import { redactSecrets } from '../redaction/redact-secrets.js';

/** The loggers this module made, so a wrapped logger is not wrapped again. */
const scrubbing = new WeakSet<object>();

/** The methods that write a line. */
const LEVEL_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** Keys blanked whole, as the library's own logger's `redact` paths do. */
const SECRET_KEYS = new Set(['apiKey', 'env', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN']);
const SECRET_HEADERS = new Set(['authorization', 'x-api-key']);

const MAX_DEPTH = 8;

/**
 * Wraps a pino logger given by the caller so that every line the library writes through it is
 * scrubbed as the library's own logger's lines are (see `createLogger`): registered secret
 * values and key-shaped text in the message, the format arguments, every string of the merged
 * object (errors included: message, stack, fields, cause) and the bindings of its children are
 * replaced by `[redacted]`, and `apiKey`, `env` and credential headers are blanked whole.
 *
 * The caller's own streams, transports, levels, serializers and formatters stay as they are:
 * scrubbing happens before pino sees the values. Lines the caller's own code writes through
 * the same logger are not touched. A logger already wrapped is returned as it is.
 *
 * @example
 * ```ts
 * const log = scrubbingLogger(pino());
 * log.child({ queryId }).warn({ err }, 'attempt failed'); // no secret reaches pino
 * ```
 */
export function scrubbingLogger<L extends Logger>(logger: L): L {
  if (scrubbing.has(logger)) return logger;
  const wrapped = new Proxy(logger, {
    get(target, property) {
      if (typeof property === 'string' && LEVEL_METHODS.has(property)) {
        // Looked up at each call: pino swaps these methods when the level changes.
        return (...args: unknown[]) => {
          const method = (target as unknown as Record<string, (...a: unknown[]) => void>)[property];
          method?.apply(
            target,
            args.map((arg) => scrubLogValue(arg)),
          );
        };
      }
      if (property === 'child') {
        return (bindings: Record<string, unknown>, options?: unknown) =>
          scrubbingLogger(
            (target.child as unknown as (b: unknown, o?: unknown) => Logger)(
              scrubLogValue(bindings),
              options,
            ),
          );
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, property, value) {
      return Reflect.set(target, property, value, target);
    },
  }) as L;
  scrubbing.add(wrapped);
  return wrapped;
}

/**
 * A copy of a value about to be logged with every string passed through `redactSecrets` and
 * secret keys blanked. Errors stay errors of the same class (pino's `err` serializer and the
 * caller's see the same type), scrubbed; depth is bounded and cycles are cut.
 */
export function scrubLogValue(value: unknown): unknown {
  return scrub(value, 0, new WeakSet(), undefined);
}

function scrub(
  value: unknown,
  depth: number,
  seen: WeakSet<object>,
  key: string | undefined,
): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth > MAX_DEPTH) return '[too deep]';
  seen.add(value);
  const next = (item: unknown, at?: string) => scrub(item, depth + 1, seen, at);
  if (Array.isArray(value)) return value.map((item) => next(item));
  if (value instanceof Error) return scrubError(value, next);
  const proto = Object.getPrototypeOf(value) as unknown;
  const plain = proto === Object.prototype || proto === null;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (!plain && typeof toJSON === 'function') return next(toJSON.call(value));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const secret =
      SECRET_KEYS.has(name) || (key === 'headers' && SECRET_HEADERS.has(name.toLowerCase()));
    out[name] = secret && item !== undefined ? '[redacted]' : next(item, name);
  }
  return out;
}

function scrubError(error: Error, next: (item: unknown) => unknown): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const [name, item] of Object.entries(error)) {
    (copy as unknown as Record<string, unknown>)[name] = next(item);
  }
  Object.defineProperties(copy, {
    name: { value: error.name, enumerable: false, writable: true, configurable: true },
    message: { value: next(error.message), enumerable: false, writable: true, configurable: true },
    stack: { value: next(error.stack), enumerable: false, writable: true, configurable: true },
  });
  if (error.cause !== undefined) {
    Object.defineProperty(copy, 'cause', {
      value: next(error.cause),
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
