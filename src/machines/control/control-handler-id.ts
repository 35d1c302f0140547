/** Prefix of the ids of control handler children (one per request from the CLI). */
const HANDLER_PREFIX = 'cli:';

/**
 * The child id of the control handler answering the CLI's request `requestId`.
 *
 * @internal
 */
export function controlHandlerId(requestId: string): string {
  return HANDLER_PREFIX + requestId;
}

/**
 * The request id a control handler child answers, from its child id; `undefined` when
 * `actorId` is not a control handler's (another child of the machine).
 *
 * @internal
 */
export function requestIdOfHandler(actorId: string | undefined): string | undefined {
  return actorId?.startsWith(HANDLER_PREFIX) ? actorId.slice(HANDLER_PREFIX.length) : undefined;
}

/**
 * Whether `actorId` is a control handler child's id (see {@link controlHandlerId}).
 *
 * @internal
 */
export function isControlHandlerId(actorId: string): boolean {
  return actorId.startsWith(HANDLER_PREFIX);
}
