import { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { TelemetryErrorCode } from './telemetry-error-code.js';

/**
 * A plugin's `beforeQuery` refused the query: it never started, and its result is `failed`
 * with this error. `plugin` names the plugin, `reason` is what it said.
 */
export class PluginRefusedError extends ClaudeActorsError {
  readonly code = 'PLUGIN_REFUSED' satisfies TelemetryErrorCode;
  /** The `name` of the plugin that refused. */
  readonly plugin: string;
  /** Why, in the plugin's words. */
  readonly reason: string;

  constructor(plugin: string, reason: string, queryId: string) {
    super(`Plugin "${plugin}" refused query ${queryId}: ${reason}`, {
      retryable: false,
      queryId,
      attempt: 0,
    });
    this.plugin = plugin;
    this.reason = reason;
  }
}
