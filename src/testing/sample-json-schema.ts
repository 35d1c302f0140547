/** A JSON Schema node as the sampler reads it; unknown keywords are ignored. */
type Schema = Record<string, unknown>;

/** Nesting past which optional properties are left out and arrays kept at their minimum. */
const MAX_DEPTH = 8;

interface Context {
  readonly root: Schema;
  readonly depth: number;
  /** The property name the value is for: a readable string value. */
  readonly key: string | undefined;
  /** Position among siblings (array items): keeps `uniqueItems` arrays unique. */
  readonly index: number;
}

/**
 * A value that satisfies a JSON Schema, built deterministically: what the simulated API puts in
 * a `StructuredOutput` call when no rule answers a `--json-schema` query.
 *
 * Understood: `type` (one or a list), `const`, `enum`, `properties` + `required` (every declared
 * property is filled in, nested up to a depth of 8, only the required ones beyond), `items` /
 * `prefixItems` with `minItems` / `maxItems`, `minimum` / `maximum` / `exclusiveMinimum` /
 * `exclusiveMaximum` / `multipleOf`, `minLength` / `maxLength`, common `format`s (`email`, `uri`,
 * `uuid`, `date`, `date-time`, `time`), `anyOf` / `oneOf` (the first branch that is not `null`),
 * `allOf` (merged), local `$ref`s (`#/$defs/…`, `#/definitions/…`) and `default`. `pattern`, `not`
 * and conditionals are not: such a schema may get a value that does not satisfy it.
 *
 * @param schema - The JSON Schema (e.g. the `input_schema` of the `StructuredOutput` tool).
 * @returns A JSON value; never throws.
 * @example
 * sampleJsonSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
 * // { city: 'city' }
 */
export function sampleJsonSchema(schema: unknown): unknown {
  const root = isSchema(schema) ? schema : {};
  return sample(root, { root, depth: 0, key: undefined, index: 0 });
}

function sample(node: Schema, ctx: Context): unknown {
  // Only a schema with no finite instance (a required self-reference) gets this deep.
  if (ctx.depth > MAX_DEPTH * 4) return null;
  const schema = resolve(node, ctx.root);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum[ctx.index % schema.enum.length];
  }
  if ('default' in schema) return schema.default;
  const branches = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(branches) && branches.length > 0) {
    const schemas = branches.filter(isSchema);
    const chosen = schemas.find((b) => resolve(b, ctx.root).type !== 'null') ?? schemas[0];
    if (chosen) return sample({ ...withoutKeys(schema, 'anyOf', 'oneOf'), ...chosen }, ctx);
  }
  switch (typeOf(schema)) {
    case 'null':
      return null;
    case 'boolean':
      return ctx.index % 2 === 0;
    case 'integer':
      return sampleNumber(schema, true, ctx.index);
    case 'number':
      return sampleNumber(schema, false, ctx.index);
    case 'string':
      return sampleString(schema, ctx);
    case 'array':
      return sampleArray(schema, ctx);
    default:
      return sampleObject(schema, ctx);
  }
}

/** Follows local `$ref`s and merges `allOf`, so the rest sees one flat node. */
function resolve(node: Schema, root: Schema, seen = new Set<string>()): Schema {
  let schema = node;
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#') && !seen.has(ref)) {
    seen.add(ref);
    const target = pointer(root, ref.slice(1));
    schema = {
      ...resolve(isSchema(target) ? target : {}, root, seen),
      ...withoutKeys(node, '$ref'),
    };
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.filter(isSchema).map((part) => resolve(part, root, seen));
    schema = parts.reduce(mergeSchemas, withoutKeys(schema, 'allOf'));
  }
  return schema;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  const properties = { ...asSchema(a.properties), ...asSchema(b.properties) };
  const required = [...asArray(a.required), ...asArray(b.required)];
  return { ...a, ...b, properties, required };
}

function pointer(root: Schema, path: string): unknown {
  let at: unknown = root;
  for (const raw of path.split('/').filter((part) => part !== '')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    at = isSchema(at) || Array.isArray(at) ? (at as Record<string, unknown>)[part] : undefined;
  }
  return at;
}

function typeOf(schema: Schema): string {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const named = type.filter((t): t is string => typeof t === 'string');
    return named.find((t) => t !== 'null') ?? named[0] ?? 'object';
  }
  if ('properties' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema) return 'array';
  if ('minLength' in schema || 'maxLength' in schema || 'format' in schema) return 'string';
  if ('minimum' in schema || 'maximum' in schema) return 'number';
  return 'object';
}

function sampleNumber(schema: Schema, integer: boolean, index: number): number {
  const step = integer ? 1 : 0.5;
  const min = num(schema.minimum) ?? plus(num(schema.exclusiveMinimum), step);
  const max = num(schema.maximum) ?? plus(num(schema.exclusiveMaximum), -step);
  // Near 1 when the bounds allow (zod's `int()` bounds are ±2^53), else at the nearest bound.
  let value = 1 + index * step;
  if (min !== undefined && value < min) value = min + index * step;
  if (max !== undefined && value > max) value = Math.max(max - index * step, min ?? -Infinity);
  if (integer)
    value = max !== undefined && Math.ceil(value) > max ? Math.floor(value) : Math.ceil(value);
  const multipleOf = num(schema.multipleOf);
  if (multipleOf !== undefined && multipleOf > 0) {
    value = Math.ceil(value / multipleOf) * multipleOf;
    if (max !== undefined && value > max) value = Math.floor(max / multipleOf) * multipleOf;
  }
  return value;
}

const FORMATS: Record<string, string> = {
  email: 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
  date: '2026-01-01',
  'date-time': '2026-01-01T00:00:00.000Z',
  time: '00:00:00',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
};

function sampleString(schema: Schema, ctx: Context): string {
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  if (format !== undefined) return format;
  const base = ctx.key ?? 'text';
  let value = ctx.index === 0 ? base : `${base} ${ctx.index + 1}`;
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = num(schema.maxLength);
  if (value.length < minLength) value = value.padEnd(minLength, 'x');
  if (maxLength !== undefined && value.length > maxLength) {
    // Keep the distinguishing end (the index) when cutting.
    value = value.slice(value.length - maxLength);
  }
  return value;
}

function sampleArray(schema: Schema, ctx: Context): unknown[] {
  const prefix = asArray(schema.prefixItems).filter(isSchema);
  const items = isSchema(schema.items) ? schema.items : undefined;
  const minItems = num(schema.minItems) ?? 0;
  const maxItems = num(schema.maxItems);
  let length = Math.max(minItems, prefix.length, items && ctx.depth < MAX_DEPTH ? 1 : 0);
  if (maxItems !== undefined) length = Math.min(length, maxItems);
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) {
    const itemSchema = prefix[i] ?? items ?? {};
    out.push(sample(itemSchema, { ...ctx, depth: ctx.depth + 1, index: i }));
  }
  return out;
}

function sampleObject(schema: Schema, ctx: Context): Record<string, unknown> {
  const properties = asSchema(schema.properties);
  const required = new Set(asArray(schema.required).filter((k) => typeof k === 'string'));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(properties)) {
    if (!isSchema(child)) continue;
    if (ctx.depth >= MAX_DEPTH && !required.has(key)) continue;
    out[key] = sample(child, { ...ctx, depth: ctx.depth + 1, key, index: 0 });
  }
  // Required names with no declared schema still need a value.
  for (const key of required) if (!(key in out)) out[key] = key;
  return out;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asSchema(value: unknown): Schema {
  return isSchema(value) ? value : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function plus(value: number | undefined, delta: number): number | undefined {
  return value === undefined ? undefined : value + delta;
}

function withoutKeys(schema: Schema, ...keys: string[]): Schema {
  const copy = { ...schema };
  for (const key of keys) delete copy[key];
  return copy;
}
