import type { ResolvedQueryOptions } from './query-options.js';

/**
 * The environment variables that options translate to (credentials, endpoint, CLI retries,
 * `toolConfig`).
 */
export function claudeProcessEnv(
  options: ResolvedQueryOptions,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  if (options.apiKey !== undefined) env.ANTHROPIC_API_KEY = options.apiKey;
  if (options.baseUrl !== undefined) env.ANTHROPIC_BASE_URL = options.baseUrl;
  if (options.cliMaxRetries !== undefined)
    env.CLAUDE_CODE_MAX_RETRIES = String(options.cliMaxRetries);
  // `toolConfig` has no flag: the CLI reads it from its environment, as the Agent SDK sets it.
  const previewFormat = options.toolConfig?.askUserQuestion?.previewFormat;
  if (previewFormat !== undefined) env.CLAUDE_CODE_QUESTION_PREVIEW_FORMAT = previewFormat;
  // The caller's own variables win over the ones derived from options.
  return { ...env, ...options.env };
}
