import { scrubKnownSecrets } from './secret-registry.js';

/**
 * Anthropic keys, OAuth tokens, bearer credentials and URL passwords, wherever they appear in
 * free text.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /((?:x-api-key|api[_-]?key|auth[_-]?token|access[_-]?token)["'\s:=]+)[^\s"',;]{6,}/gi,
  // The password of a URL's user info (redis://user:password@host, https://:token@proxy), up
  // to the last `@` before the host, as URL parsers split it (`p@ss` and `pa/ss` included).
  // Every part is bounded (scheme 32 characters, user 256, password 512): unbounded ones made
  // the scan quadratic over a long run of letters, dots or dashes, or of `a://b:`.
  /(\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s/:@]{0,256}:)[^\s]{1,512}?(?=@[^\s/@]{0,256}(?:[\s/?#:]|$))/gi,
];

/**
 * Replaces credentials in free text (stderr, error messages) with `[redacted]`: every secret
 * value the library knows (see `registerSecrets`: a query's `apiKey`, secret-looking `env`
 * values), then anything shaped like a key or token. Applied to everything that leaves the
 * library: errors, log lines, inspection, snapshots, reports.
 */
export function redactSecrets(text: string): string {
  let out = scrubKnownSecrets(text);
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
    );
  }
  return out;
}
