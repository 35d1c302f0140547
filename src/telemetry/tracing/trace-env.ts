import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';

/**
 * The W3C trace context of a span as the environment variables `TRACEPARENT` (and
 * `TRACESTATE` when the span has one), for a child process whose own spans should nest under
 * it (the CLI reads them when its OpenTelemetry export is enabled). `undefined` for an invalid
 * context: with no OpenTelemetry SDK registered, nothing is added to the environment.
 *
 * @example
 * traceEnv(span.spanContext()); // { TRACEPARENT: '00-4bf9…-00f0…-01' }
 */
export function traceEnv(context: SpanContext): Record<string, string> | undefined {
  if (!isSpanContextValid(context)) return undefined;
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, '0');
  const env: Record<string, string> = {
    TRACEPARENT: `00-${context.traceId}-${context.spanId}-${flags}`,
  };
  const state = context.traceState?.serialize();
  if (state) env.TRACESTATE = state;
  return env;
}
