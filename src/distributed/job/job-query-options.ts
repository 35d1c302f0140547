import { isSecretName } from '../../core/redaction/secret-registry.js';
import type { OptionIssue } from '../../core/validation/invalid-options-error.js';
import { InvalidOptionsError } from '../../core/validation/invalid-options-error.js';
import type { QueryOptions } from '../../machines/query/options/query-options.js';

/** Query options as they travel in a job: JSON only, without credentials. */
export type JobQueryOptions = Record<string, unknown>;

/** What {@link jobQueryOptions} made of a task's options. */
export interface JobQueryOptionsResult {
  readonly options: JobQueryOptions;
  /** Paths of the credentials left out (`apiKey`, `env.GITHUB_TOKEN`...), never their values. */
  readonly dropped: readonly string[];
}

/** Objects whose entries are names and values of credentials when the name looks secret. */
const CREDENTIAL_MAPS = new Set(['env', 'headers']);

/** `isSecretName` spares `author…`; a header named `Authorization` is a credential all the same. */
const SECRET_HEADER = /^(proxy-)?authorization$/i;

/**
 * The query options of a task as a worker gets them: plain JSON, with every credential left out
 * — `apiKey`, and the entries of `env` and `headers` maps (also inside MCP server configs) whose
 * names look secret (`*_TOKEN`, `*KEY*`, `Authorization`...). Nothing secret is ever written to
 * Redis: workers run with their own credentials (their environment, their runtime's defaults).
 *
 * @throws {@link InvalidOptionsError} naming each option that cannot be sent to another process
 *   (a function such as `stderr`, a zod `outputSchema`, an `AbortController`): use `jsonSchema`
 *   instead of `outputSchema`, and cancel through the run.
 * @example
 * jobQueryOptions({ model: 'sonnet', apiKey: 'sk-…', env: { GITHUB_TOKEN: '…', CI: '1' } });
 * // { options: { model: 'sonnet', env: { CI: '1' } }, dropped: ['apiKey', 'env.GITHUB_TOKEN'] }
 */
export function jobQueryOptions(options: QueryOptions): JobQueryOptionsResult {
  const issues: OptionIssue[] = [];
  const dropped: string[] = [];
  const walk = (value: unknown, path: string, inCredentials: boolean): unknown => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return value;
      issues.push({
        path,
        message: 'expected a finite number to send to a worker',
        received: String(value),
      });
      return undefined;
    }
    if (typeof value === 'function') {
      issues.push({
        path,
        message: 'a function cannot be sent to a worker process (give JSON values only)',
        received: 'a function',
      });
      return undefined;
    }
    if (typeof value !== 'object') {
      issues.push({
        path,
        message: 'expected a JSON value to send to a worker',
        received: typeof value,
      });
      return undefined;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}.${i}`, false));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      issues.push({
        path,
        message:
          'only plain JSON objects can be sent to a worker process' +
          (path === 'outputSchema' ? ' (give `jsonSchema` instead of a zod `outputSchema`)' : ''),
        received: `a ${name}`,
      });
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      const at = path ? `${path}.${key}` : key;
      if (
        (path === '' && key === 'apiKey') ||
        (inCredentials && (isSecretName(key) || SECRET_HEADER.test(key)))
      ) {
        dropped.push(at);
        continue;
      }
      const next = walk(item, at, CREDENTIAL_MAPS.has(key));
      if (next !== undefined) out[key] = next;
    }
    return out;
  };
  const result = walk(options ?? {}, '', false) as JobQueryOptions;
  if (issues.length > 0) throw new InvalidOptionsError(issues, 'task option (sent to a worker)');
  return { options: result, dropped };
}
