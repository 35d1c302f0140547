/** Stand-ins for values JSON cannot hold, in the spelling `safe-stable-stringify` uses. */
const CIRCULAR = '[Circular]';
const UNSERIALIZABLE = '[Unserializable]';

/**
 * Turns any value into plain JSON data, the way `@statelyai/inspect` serialises snapshots:
 * functions become `{ type: name }` (as its `safeReplacer` does, so actions show by name),
 * circular references `'[Circular]'`, anything deeper than `maxDepth` `'[Object]'`/`'[Array]'`.
 * Beyond that library it also never throws: `toJSON()` is honoured (actor refs give
 * `{ xstate$$type, id }`), symbols and bigints become strings, `Error`s `{ name, message }`,
 * `Map`/`Set` arrays, and a throwing getter or `toJSON` gives `'[Unserializable]'`.
 *
 * It is written here rather than imported because `safe-stable-stringify` is only a transitive
 * dependency of `@statelyai/inspect`, not one of ours.
 *
 * @param value - Anything, e.g. an inspection event holding a snapshot with actor refs.
 * @param maxDepth - Nesting kept below `value`; deeper objects are replaced by a marker.
 * @returns Data for which `JSON.stringify` cannot throw.
 * @internal
 */
export function toJsonSafe(value: unknown, maxDepth: number): unknown {
  return convert(value, maxDepth, new Set<object>());
}

function convert(value: unknown, depthLeft: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return { type: value.name };
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return CIRCULAR;
  ancestors.add(object);
  try {
    return convertObject(object, depthLeft, ancestors);
  } catch {
    return UNSERIALIZABLE;
  } finally {
    ancestors.delete(object);
  }
}

function convertObject(object: object, depthLeft: number, ancestors: Set<object>): unknown {
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  // `toJSON` output is what JSON.stringify would emit: convert it at the same depth.
  if (typeof toJSON === 'function') return convert(toJSON.call(object), depthLeft, ancestors);
  if (object instanceof Error) return { name: object.name, message: object.message };
  const isList = Array.isArray(object) || object instanceof Set || object instanceof Map;
  if (depthLeft <= 0) return isList ? '[Array]' : '[Object]';
  if (isList) {
    const items = object instanceof Map ? [...object.entries()] : [...object];
    return items.map((item) => {
      const converted = convert(item, depthLeft - 1, ancestors);
      return converted === undefined ? null : converted;
    });
  }
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    let item: unknown;
    try {
      item = (object as Record<string, unknown>)[key];
    } catch {
      item = UNSERIALIZABLE;
    }
    const converted = convert(item, depthLeft - 1, ancestors);
    if (converted !== undefined) result[key] = converted;
  }
  return result;
}
