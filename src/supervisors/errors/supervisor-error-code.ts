/** Codes of the errors raised by supervisors. */
export type SupervisorErrorCode = 'INVALID_CHILD_SPEC' | 'SUPERVISOR_START_FAILED';
