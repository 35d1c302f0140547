import type { AnyActorRef, InspectionEvent, Observer } from 'xstate';
import { redactSecrets } from './redact-secrets.js';
import { isSecretName } from './secret-registry.js';

const SECRET_KEY = /^(api[_-]?key|authorization|x-api-key|auth[_-]?token|access[_-]?token)$/i;
const MAX_DEPTH = 24;

/**
 * A copy of a value with credentials replaced by `[redacted]`: fields named like keys or
 * tokens, secret-looking variables of any `env` object, and secrets inside strings. Actor refs
 * become their JSON form; cycles and depth are bounded.
 */
export function redactValue(
  value: unknown,
  depth = 0,
  seen = new WeakSet<object>(),
  key = '',
): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return '[Object]';
  if (seen.has(value)) return '[Circular]';
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function' && !Array.isArray(value)) {
    return redactValue(json.call(value), depth + 1, seen, key);
  }
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const secret = SECRET_KEY.test(name) || (key === 'env' && isSecretName(name));
    out[name] =
      secret && item !== undefined ? '[redacted]' : redactValue(item, depth + 1, seen, name);
  }
  return out;
}

/** The actor as inspectors see it, but with a redacted snapshot. */
function redactedRef(ref: AnyActorRef): AnyActorRef {
  const view = Object.create(ref) as AnyActorRef;
  view.getSnapshot = () => redactValue(ref.getSnapshot());
  return view;
}

/** Fields of an inspection event that are actor refs, not data. */
const REF_FIELDS = new Set(['actorRef', 'sourceRef']);

/**
 * An inspection event of any type with every data field redacted (`snapshot`, `event`, an
 * `@xstate.action`'s `action` and its params, and any field a future XState adds) and its actor
 * refs wrapped so their snapshots are redacted too.
 */
export function redactInspectionEvent(event: InspectionEvent): InspectionEvent {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event)) {
    if (name === 'type' || name === 'rootId') copy[name] = value;
    else if (REF_FIELDS.has(name)) {
      copy[name] =
        value === undefined || value === null ? value : redactedRef(value as AnyActorRef);
    } else copy[name] = redactValue(value, 0, new WeakSet(), name);
  }
  return copy as unknown as InspectionEvent;
}

/**
 * Wraps an inspection observer so that credentials in actor snapshots and events (a query's
 * `apiKey`, its `env`) never reach it. Every actor this library creates is inspected through it.
 */
export function redactingObserver(
  inspect: Observer<InspectionEvent> | ((event: InspectionEvent) => void) | undefined,
): ((event: InspectionEvent) => void) | undefined {
  if (!inspect) return undefined;
  const next = typeof inspect === 'function' ? inspect : inspect.next?.bind(inspect);
  if (!next) return undefined;
  return (event) => next(redactInspectionEvent(event));
}
