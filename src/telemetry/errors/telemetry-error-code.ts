/** Codes of the errors the telemetry layer (traces, metrics, plugins) raises. */
export type TelemetryErrorCode = 'METRICS_UNAVAILABLE' | 'PLUGIN_REFUSED';
