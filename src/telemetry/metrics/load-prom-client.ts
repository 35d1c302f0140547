import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import { MetricsUnavailableError } from '../errors/metrics-unavailable-error.js';

let loaded: typeof PromClient | undefined;

/**
 * @internal `prom-client`, required on first use (it is an optional peer dependency: importing
 * the library never loads it).
 *
 * @throws {@link MetricsUnavailableError} when it is not installed.
 */
export function loadPromClient(
  require: (id: string) => unknown = createRequire(import.meta.url),
): typeof PromClient {
  if (loaded) return loaded;
  try {
    loaded = require('prom-client') as typeof PromClient;
  } catch (error) {
    throw new MetricsUnavailableError(error);
  }
  return loaded;
}
