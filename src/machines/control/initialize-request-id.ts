/**
 * Request id of the `initialize` control request a query (when its options need one) or a
 * session sends first; the CLI's `control_response` to it carries the same id.
 */
export const INITIALIZE_REQUEST_ID = 'init_0';
