export { CallbackFailedError } from './callback-failed-error.js';
export { ControlRequestError } from './control-request-error.js';
export { ControlTimeoutError } from './control-timeout-error.js';
export { SessionClosedError } from './session-closed-error.js';
