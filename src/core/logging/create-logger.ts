import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { redactSecrets } from '../redaction/redact-secrets.js';

/** Paths pino blanks out in every log line: keys, tokens and whole environments. */
export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'env',
  '*.env',
  'options.env',
  'headers["x-api-key"]',
  'headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers.authorization',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
];

/**
 * The library's root logger; every line it writes is scrubbed by `redactSecrets`. Silent unless asked: a library must not write to a host's output
 * on its own. Pass your own pino logger to the runtime to see its lines.
 *
 * @example
 * const logger = createLogger({ level: 'debug' });
 */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const config: LoggerOptions = {
    level: 'silent',
    name: 'claude-actors',
    ...options,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Every serialised line is scrubbed of known secret values and key-shaped text, whatever
    // field or message carries them.
    hooks: {
      ...options.hooks,
      streamWrite: (line) => redactSecrets(options.hooks?.streamWrite?.(line) ?? line),
    },
  };
  return destination ? pino(config, destination) : pino(config);
}

export type { Logger };
