/** Codes of the errors raised by queries (the API, timeouts, structured output, credentials, usage limits). */
export type QueryErrorCode =
  | 'API_ERROR'
  | 'MISSING_CREDENTIALS'
  | 'STARTUP_FAILED'
  | 'IDLE_TIMEOUT'
  | 'TOTAL_TIMEOUT'
  | 'QUERY_FAILED'
  | 'STRUCTURED_OUTPUT_INVALID'
  | 'RATE_LIMITED'
  | 'USAGE_LIMIT';
