import type * as PromClient from 'prom-client';
import { LabeledCounts } from './labeled-counts.js';
import { loadPromClient } from './load-prom-client.js';
import { type MetricsSources, metricDefinitions } from './metric-definitions.js';
import type { ResolvedMetricsOptions } from './metrics-options.js';
import type { MetricsRegistry } from './metrics-registry.js';

/** What {@link RuntimeMetrics} reads from its runtime when scraped. */
export type RuntimeMetricsSources = Omit<MetricsSources, 'retries' | 'restarts' | 'pluginErrors'>;

/**
 * @internal The metrics of one runtime. Events are counted in plain memory (a map increment);
 * the prom-client registry is made on the first {@link RuntimeMetrics.registry} call and reads
 * every series when scraped, so nothing counted before that call is lost and a runtime whose
 * metrics are never asked for never loads prom-client.
 */
export class RuntimeMetrics {
  readonly retries = new LabeledCounts();
  readonly restarts = new LabeledCounts();
  readonly pluginErrors = new LabeledCounts();
  readonly #sources: MetricsSources;
  readonly #options: ResolvedMetricsOptions;
  readonly #load: () => typeof PromClient;
  #registry: PromClient.Registry | undefined;

  constructor(
    sources: RuntimeMetricsSources,
    options: ResolvedMetricsOptions,
    load: () => typeof PromClient = loadPromClient,
  ) {
    this.#sources = {
      ...sources,
      retries: this.retries,
      restarts: this.restarts,
      pluginErrors: this.pluginErrors,
    };
    this.#options = options;
    this.#load = load;
  }

  /**
   * The prom-client registry of these metrics (the same one on every call).
   * @throws {@link MetricsUnavailableError} when prom-client is not installed.
   */
  registry(): MetricsRegistry {
    this.#registry ??= this.#build(this.#load());
    return this.#registry;
  }

  #build(prom: typeof PromClient): PromClient.Registry {
    const registry = new prom.Registry();
    for (const definition of metricDefinitions(this.#sources, this.#options)) {
      const config = {
        name: definition.name,
        help: definition.help,
        labelNames: [...definition.labelNames],
        registers: [registry],
      };
      if (definition.type === 'counter') {
        // The values are totals kept elsewhere: each scrape copies them in.
        const counter: PromClient.Counter = new prom.Counter({
          ...config,
          collect() {
            counter.reset();
            for (const [labels, value] of definition.read()) counter.inc(labels, value);
          },
        });
      } else {
        const gauge: PromClient.Gauge = new prom.Gauge({
          ...config,
          collect() {
            gauge.reset();
            for (const [labels, value] of definition.read()) gauge.set(labels, value);
          },
        });
      }
    }
    return registry;
  }
}
