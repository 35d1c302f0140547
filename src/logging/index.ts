export { createLogger, type Logger, REDACT_PATHS } from './create-logger.js';
export { redactSecrets } from './redact-secrets.js';
export { scrubbingLogger, scrubLogValue } from './scrubbing-logger.js';
export {
  clearKnownSecrets,
  isSecretName,
  MAX_KNOWN_SECRETS,
  MIN_SECRET_LENGTH,
  registerOptionSecrets,
  registerSecrets,
  scrubKnownSecrets,
  secretEnvValues,
} from './secret-registry.js';
