import { fromPromise } from 'xstate';
import { answerControlRequest } from './answer-control-request.js';
import { hookLookup } from './hook-registration.js';
import type { ControlHandlerInput, ControlHandlerOutput } from './session-types.js';

/**
 * Actor logic answering one control request from the CLI with the session's callbacks (see
 * {@link answerControlRequest}). Stopping the actor (the CLI cancelled the request) aborts the
 * callback's signal.
 */
export function fromControlHandler() {
  return fromPromise<ControlHandlerOutput, ControlHandlerInput>(({ input, signal }) =>
    answerControlRequest(
      input.request,
      {
        canUseTool: input.options.canUseTool,
        onElicitation: input.options.onElicitation,
        sdkMcpServers: input.options.sdkMcpServers,
        hooks: hookLookup(input.options.hooks),
        callbackTimeoutMs: input.options.callbackTimeoutMs,
        sessionKey: input.sessionKey,
      },
      signal,
    ),
  );
}
