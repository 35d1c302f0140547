/** Codes of the errors raised by sessions and their control requests. */
export type SessionErrorCode = 'SESSION_CLOSED' | 'CONTROL_TIMEOUT';
