/** Codes of the errors of the control protocol: the CLI's requests, and the host's. */
export type ControlErrorCode = 'CALLBACK_FAILED' | 'CONTROL_REQUEST_FAILED';
