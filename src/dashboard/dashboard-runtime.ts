import type { Runtime } from '../runtime/create-runtime.js';

/**
 * What the dashboard reads of a runtime: a {@link Runtime} has all of it. `root` (for the live
 * text of every query, read from its inspection events), `poolStats` and `metrics` are optional.
 */
export type DashboardRuntime = Pick<Runtime, 'tree' | 'tree$' | 'stats' | 'system' | 'running'> &
  Partial<Pick<Runtime, 'root' | 'poolStats'>> & {
    /**
     * The runtime's metrics, served on `/metrics` (404 when absent): the Prometheus text, or a
     * registry that renders it (a prom-client `Registry`: its `metrics()` and `contentType`).
     */
    metrics?: () => string | Promise<string> | MetricsRegistryLike;
  };

/** What `/metrics` needs of a metrics registry (a prom-client `Registry` has it). */
export interface MetricsRegistryLike {
  metrics(): string | Promise<string>;
  /** @defaultValue `text/plain; version=0.0.4; charset=utf-8` */
  readonly contentType?: string;
}
