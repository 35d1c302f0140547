/**
 * Attribute names of the OpenTelemetry GenAI semantic conventions (agent spans, tool spans)
 * that the library sets, and its own `claude_actors.*` attributes where the conventions have
 * none (cost, attempt, retry reason, tags).
 */
export const GenAiAttributes = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  conversationId: 'gen_ai.conversation.id',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  workflowName: 'gen_ai.workflow.name',
  errorType: 'error.type',
  costUsd: 'claude_actors.cost_usd',
  attempt: 'claude_actors.attempt',
  retryReason: 'claude_actors.retry.reason',
  queryId: 'claude_actors.query.id',
  tags: 'claude_actors.tags',
  status: 'claude_actors.status',
  runId: 'claude_actors.run.id',
  turn: 'claude_actors.turn',
  sessionKey: 'claude_actors.session.key',
} as const;

/** `gen_ai.provider.name` of every agent span: the CLI talks to Anthropic's API. */
export const PROVIDER_NAME = 'anthropic';

/** The instrumentation scope of the library's tracer. */
export const TRACER_NAME = 'claude-actors';
