import type { ClaudeActorsError } from '../../core/errors/claude-actors-error.js';
import type { ControlRequestMessage } from '../../protocol/control.js';
import type { ResolvedControlOptions } from './control-options.js';

/** What a control handler (one request from the CLI) is started with. */
export interface ControlHandlerInput {
  /** Local id of the query or session, for errors. */
  readonly key: string;
  /** The callbacks, servers and `callbackTimeoutMs` that answer it. */
  readonly options: ResolvedControlOptions;
  readonly request: ControlRequestMessage;
}

/**
 * The answer a control handler produced for the CLI; `silent` sends none (a user dialog the
 * host chose not to answer: the CLI's own deadline settles it).
 */
export type ControlHandlerOutput =
  | {
      readonly requestId: string;
      readonly ok: true;
      readonly response: Record<string, unknown>;
      /** Set when the user callback failed and the safe default was sent instead. */
      readonly failure?: ClaudeActorsError;
    }
  | {
      readonly requestId: string;
      readonly ok: false;
      readonly error: string;
      readonly failure?: ClaudeActorsError;
    }
  | { readonly requestId: string; readonly ok: 'silent'; readonly failure?: undefined };

/** Hooks registered with `initialize`: callback ids per event (the functions stay in the host). */
export type HookRegistration = Record<
  string,
  { matcher?: string; hookCallbackIds: string[]; timeout?: number }[]
>;
