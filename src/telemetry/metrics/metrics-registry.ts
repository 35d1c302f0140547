/**
 * The runtime's metrics: a prom-client `Registry` (typed here by what callers use, so that the
 * library's types do not need prom-client installed). Serve `await registry.metrics()` with
 * `registry.contentType` on `/metrics`, or merge it into an application's own registry:
 * `Registry.merge([appRegistry, runtime.metrics() as Registry])`.
 */
export interface MetricsRegistry {
  /** The text exposition format (Prometheus 0.0.4). */
  metrics(): Promise<string>;
  /** The `Content-Type` of {@link MetricsRegistry.metrics}. */
  readonly contentType: string;
  /** Every metric as JSON (name, help, type, values with labels). */
  getMetricsAsJSON(): Promise<
    {
      readonly name: string;
      readonly help: string;
      /** `counter` or `gauge` (prom-client's types call it an enum). */
      readonly type: string | number;
      readonly values: readonly {
        readonly value: number;
        readonly labels: Readonly<Record<string, string | number | undefined>>;
      }[];
    }[]
  >;
}
