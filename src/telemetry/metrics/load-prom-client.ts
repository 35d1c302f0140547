import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import { MetricsUnavailableError } from '../errors/metrics-unavailable-error.js';

/**
 * @internal `prom-client`, required when first needed (it is an optional peer dependency: importing
 * the library never loads it).
 *
 * @throws {@link MetricsUnavailableError} when it is not installed.
 */
export function loadPromClient(
  require: (id: string) => unknown = createRequire(import.meta.url),
): typeof PromClient {
  try {
    // Node caches the module: a second call costs a lookup.
    return require('prom-client') as typeof PromClient;
  } catch (error) {
    throw new MetricsUnavailableError(error);
  }
}
