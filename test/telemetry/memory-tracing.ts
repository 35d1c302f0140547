import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** An SDK tracer provider whose spans end up in memory, for assertions. */
export function memoryTracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  return {
    provider,
    exporter,
    spans,
    /** Finished spans named `name`, in the order they ended. */
    named: (name: string): ReadableSpan[] => spans().filter((span) => span.name === name),
    parentOf: (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId,
  };
}
