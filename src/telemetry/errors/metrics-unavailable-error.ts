import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { TelemetryErrorCode } from './telemetry-error-code.js';

/**
 * `runtime.metrics()` was called but the optional peer dependency `prom-client` cannot be
 * loaded. Install it (`npm install prom-client`) to get the Prometheus registry; nothing else
 * of the runtime needs it.
 */
export class MetricsUnavailableError extends ClaudeActorsError {
  readonly code = 'METRICS_UNAVAILABLE' satisfies TelemetryErrorCode;

  constructor(cause: unknown) {
    super(
      'Metrics need the optional peer dependency `prom-client`, which cannot be loaded: ' +
        'install it (`npm install prom-client@^15`) and call `runtime.metrics()` again.',
      { retryable: false, cause },
    );
  }
}
