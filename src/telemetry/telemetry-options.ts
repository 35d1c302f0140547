import type { TracerProvider } from '@opentelemetry/api';
import { z } from 'zod';
import { MetricsOptionsSchema } from './metrics/metrics-options.js';

/** The `telemetry` option of `createRuntime`: where spans go and how metrics are labelled. */
export const TelemetryOptionsSchema = z.strictObject({
  /**
   * The OpenTelemetry tracer provider of the runtime's spans.
   * @defaultValue the global one (`trace.getTracerProvider()`): spans are recorded once an SDK
   *   is registered, and cost next to nothing before
   */
  tracerProvider: z
    .custom<TracerProvider>(
      (v) => typeof (v as { getTracer?: unknown } | null)?.getTracer === 'function',
      { error: 'expected an OpenTelemetry TracerProvider (an object with `getTracer()`)' },
    )
    .optional(),
  /** How metrics are labelled (tag cardinality). */
  metrics: MetricsOptionsSchema.prefault({}),
});

/** The `telemetry` option of `createRuntime`, as callers write it. */
export type TelemetryOptions = z.input<typeof TelemetryOptionsSchema>;
/** With defaults applied. */
export type ResolvedTelemetryOptions = z.output<typeof TelemetryOptionsSchema>;
