/** Values shorter than this are never scrubbed by value: they would shred ordinary text. */
export const MIN_SECRET_LENGTH = 6;

/** At most this many values are remembered; registering one more forgets the oldest. */
export const MAX_KNOWN_SECRETS = 256;

/** Names of variables and option keys whose values are credentials. */
const SECRET_NAME = /key|token|secret|passw(or)?d|auth(?!or)|credential|private|cookie/i;

/** Insertion-ordered, so the first entry is the least recently registered. */
const known = new Set<string>();
let sorted: readonly string[] | undefined;

/** Whether a variable or option named `name` holds a credential (`GITHUB_TOKEN`, `apiKey`). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Remembers `values` as secrets, so that {@link scrubKnownSecrets} (and so `redactSecrets`, used
 * at every exit point of the library) removes them from any text. Values shorter than
 * {@link MIN_SECRET_LENGTH} are ignored. The registry is a bounded LRU of
 * {@link MAX_KNOWN_SECRETS} values: registering the same value again refreshes it, and the
 * memory used never grows with the number of queries run.
 */
export function registerSecrets(values: Iterable<string | undefined>): void {
  for (const value of values) {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) continue;
    known.delete(value);
    known.add(value);
    sorted = undefined;
  }
  while (known.size > MAX_KNOWN_SECRETS) {
    const oldest = known.values().next().value as string;
    known.delete(oldest);
    sorted = undefined;
  }
}

/** Values of the entries of `env` whose names look secret (see {@link isSecretName}). */
export function secretEnvValues(
  env: Readonly<Record<string, string | undefined>> | undefined,
): string[] {
  if (!env || typeof env !== 'object') return [];
  return Object.entries(env)
    .filter(([name, value]) => typeof value === 'string' && isSecretName(name))
    .map(([, value]) => value as string);
}

/**
 * Registers `apiKey`, the secret-looking `env` values, the credentials of MCP server configs
 * (`mcpConfig` objects or JSON strings, the Agent SDK's `mcpServers`: their `env` entries and
 * `headers` with secret-looking names) and of `managedSettings` (which the `initialize` request
 * carries: every string under a secret-looking key at any depth, and its `env` and `headers`
 * credentials as for MCP configs) of raw (possibly invalid) options.
 */
export function registerOptionSecrets(input: unknown): void {
  if (typeof input !== 'object' || input === null) return;
  const { apiKey, env, mcpConfig, mcpServers, managedSettings } = input as Record<string, unknown>;
  registerSecrets([
    typeof apiKey === 'string' ? apiKey : undefined,
    ...(typeof env === 'object' && env !== null
      ? secretEnvValues(env as Record<string, string | undefined>)
      : []),
    ...mcpSecrets([mcpConfig, mcpServers].flat(), 0),
    ...mcpSecrets([managedSettings], 0),
    ...secretKeyedValues(managedSettings, false, 0),
  ]);
}

/** Every string anywhere in `value` that sits under a secret-looking key (at any depth). */
function secretKeyedValues(value: unknown, underSecret: boolean, depth: number): string[] {
  if (depth > 8) return [];
  if (typeof value === 'string') return underSecret ? [value] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    secretKeyedValues(item, underSecret || isSecretName(key), depth + 1),
  );
}

/** Values of `env` entries and `headers` with secret-looking names, anywhere in MCP configs. */
function mcpSecrets(values: readonly unknown[], depth: number): string[] {
  if (depth > 6) return [];
  return values.flatMap((value): string[] => {
    if (typeof value === 'string' && value.trimStart().startsWith('{')) {
      try {
        return mcpSecrets([JSON.parse(value) as unknown], depth + 1);
      } catch {
        return [];
      }
    }
    if (typeof value !== 'object' || value === null) return [];
    return Object.entries(value).flatMap(([key, item]): string[] => {
      if ((key === 'env' || key === 'headers') && typeof item === 'object' && item !== null) {
        // `Authorization` is a credential although `AUTHOR…` names are not.
        return Object.entries(item)
          .filter(
            ([name, v]) =>
              typeof v === 'string' && (isSecretName(name) || /^authorization$/i.test(name)),
          )
          .map(([, v]) => v as string);
      }
      return mcpSecrets([item], depth + 1);
    });
  });
}

/** Forgets every registered secret. For tests. */
export function clearKnownSecrets(): void {
  known.clear();
  sorted = undefined;
}

/** Replaces every registered secret value found in `text` with `[redacted]`. */
export function scrubKnownSecrets(text: string): string {
  if (known.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
  // Longest first, so a secret that contains another is removed whole.
  sorted ??= [...known].sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of sorted) {
    if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  }
  return out;
}
