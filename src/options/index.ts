export {
  AGENT_SDK_HINTS,
  type AgentSdkOptionNames,
  agentSdkHint,
  normalizeAgentSdkOptions,
} from './agent-sdk-options.js';
export {
  type FormatZodIssuesOptions,
  formatPath,
  formatZodIssues,
  hasSecretKey,
  REDACTED,
  renderValue,
  SECRET_KEY_PATTERN,
} from './format-zod-issues.js';
export { parseQueryOptions } from './parse-options.js';
export { type Prompt, parsePrompt, promptIssues } from './parse-prompt.js';
export {
  type AgentDefinition,
  AgentDefinitionSchema,
  EFFORT_LEVELS,
  PERMISSION_MODES,
  type QueryOptions,
  QueryOptionsSchema,
  type ResolvedQueryOptions,
  RetryOptionsSchema,
  SETTING_SOURCES,
  TimeoutOptionsSchema,
} from './query-options.js';
export { BASE_CLI_ARGS, toCliArgs } from './to-cli-args.js';
