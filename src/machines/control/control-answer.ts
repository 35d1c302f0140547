import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import { controlError, controlSuccess } from '../../protocol/host-message-builders.js';
import { serializeHostMessage } from '../../protocol/serialize-host-message.js';
import { requestIdOfHandler } from './control-handler-id.js';
import type { ControlHandlerOutput } from './control-handler-types.js';

/**
 * What a query or a session does when one of its control handler children ends: forget the
 * request (`requestId`), stop the child (`actorId`), write `line` to the CLI when there is one,
 * and report `failure` when a callback failed.
 *
 * @internal
 */
export interface ControlAnswer {
  readonly actorId: string;
  readonly requestId: string;
  /** The serialized `control_response`; `undefined` for a `silent` answer. */
  readonly line: string | undefined;
  /** The user callback failed and a safe default (or an error) was sent instead. */
  readonly failure: ClaudeActorsError | undefined;
}

/**
 * The answer to write for a control handler child that finished (an `xstate.done.actor.*`
 * event); `undefined` when the event is not a control handler's.
 *
 * @internal
 */
export function controlAnswerOf(event: {
  readonly actorId?: string;
  readonly output?: unknown;
}): ControlAnswer | undefined {
  const requestId = requestIdOfHandler(event.actorId);
  const output = event.output as ControlHandlerOutput | undefined;
  if (requestId === undefined || event.actorId === undefined || !output) return undefined;
  return {
    actorId: event.actorId,
    requestId,
    line: controlAnswerLine(output),
    failure: output.failure,
  };
}

/**
 * The answer to write for a control handler child that crashed (an `xstate.error.actor.*`
 * event; the handler catches, so this is a request it could not even read): an error answer,
 * so that the CLI is not left waiting. `undefined` when the event is not a control handler's.
 *
 * @internal
 */
export function crashAnswerOf(event: {
  readonly type: string;
  readonly actorId?: string;
  readonly error?: unknown;
}): ControlAnswer | undefined {
  const actorId = event.actorId ?? event.type.slice('xstate.error.actor.'.length);
  const requestId = requestIdOfHandler(actorId);
  if (requestId === undefined) return undefined;
  const why = event.error instanceof Error ? event.error.message : String(event.error);
  return {
    actorId,
    requestId,
    line: serializeHostMessage(controlError(requestId, why)),
    failure: undefined,
  };
}

/** The serialized answer of `output`; `undefined` when it is `silent`. */
function controlAnswerLine(output: ControlHandlerOutput): string | undefined {
  if (output.ok === 'silent') return undefined;
  return serializeHostMessage(
    output.ok
      ? controlSuccess(output.requestId, output.response)
      : controlError(output.requestId, output.error),
  );
}
