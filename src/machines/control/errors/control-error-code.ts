/** Codes of the errors raised while answering the CLI's control requests. */
export type ControlErrorCode = 'CALLBACK_FAILED';
