import type { Runtime } from '../runtime/create-runtime.js';

/**
 * What the dashboard reads of a runtime: a {@link Runtime} has all of it. `root` (for the live
 * text of every query, read from its inspection events), `poolStats` and `metrics` are optional.
 */
export type DashboardRuntime = Pick<Runtime, 'tree' | 'tree$' | 'stats' | 'system' | 'running'> &
  Partial<Pick<Runtime, 'root' | 'poolStats'>> & {
    /**
     * The runtime's metrics in the Prometheus text format, served on `/metrics` (404 when
     * absent).
     */
    metrics?: () => string | Promise<string>;
  };
