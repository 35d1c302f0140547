/**
 * The hash tag of a Redis key, as Redis Cluster finds it: the text between the first `{` and
 * the first `}` after it, when not empty. Keys with the same tag live in the same slot, which
 * a Lua script or a MULTI over several keys needs; `undefined` when the whole key is hashed.
 *
 * @example
 * ```ts
 * redisHashTag('{bull}:tasks:meta'); // 'bull'
 * redisHashTag('bull:tasks:meta'); // undefined
 * ```
 * @internal
 */
export function redisHashTag(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open === -1) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}
