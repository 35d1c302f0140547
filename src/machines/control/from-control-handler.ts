import { fromPromise } from 'xstate';
import { answerControlRequest } from './answer-control-request.js';
import type { ControlHandlerInput, ControlHandlerOutput } from './control-handler-types.js';
import { DEFAULT_CALLBACK_TIMEOUT_MS } from './control-options.js';
import { hookLookup } from './hook-registration.js';

/**
 * Actor logic answering one control request from the CLI with the callbacks of a query or a
 * session (see {@link answerControlRequest}). Stopping the actor (the CLI cancelled the
 * request, the attempt or session ended) aborts the callback's signal.
 *
 * @example
 * ```ts
 * queryMachine.provide({ actors: { controlHandler: fromControlHandler() } });
 * ```
 */
export function fromControlHandler() {
  return fromPromise<ControlHandlerOutput, ControlHandlerInput>(({ input, signal }) =>
    answerControlRequest(
      input.request,
      {
        canUseTool: input.options.canUseTool,
        onElicitation: input.options.onElicitation,
        onUserDialog: input.options.onUserDialog,
        sdkMcpServers: input.options.sdkMcpServers,
        hooks: hookLookup(input.options.hooks),
        callbackTimeoutMs: input.options.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS,
        key: input.key,
      },
      signal,
    ),
  );
}
