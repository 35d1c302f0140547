/**
 * An option path as users write it: `rules[0].reply.kind` from `['rules', 0, 'reply', 'kind']`;
 * keys that are not identifiers are quoted (`env["MY.VAR"]`).
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}
