import { normalizeAgentSdkOptions } from '../machines/query/options/agent-sdk-options.js';
import type { QueryOptions } from '../machines/query/options/query-options.js';

/**
 * A query's options over the runtime's defaults; nested groups merge one level deep. Agent SDK
 * names are turned into ours first, so that either spelling overrides the other.
 */
export function mergeQueryOptions(
  sdkDefaults: QueryOptions,
  sdkOptions: QueryOptions,
): QueryOptions {
  const defaults = normalizeAgentSdkOptions(sdkDefaults).value as QueryOptions;
  const options = normalizeAgentSdkOptions(sdkOptions).value as QueryOptions;
  return {
    ...defaults,
    ...options,
    timeouts: { ...defaults.timeouts, ...options.timeouts },
    retry: { ...defaults.retry, ...options.retry },
    env: defaults.env || options.env ? { ...defaults.env, ...options.env } : undefined,
  };
}
