export {
  answerControlRequest,
  type ControlAnswerConfig,
} from './answer-control-request.js';
export { createSession, type SessionDependencies, sessionLogic } from './create-session.js';
export {
  CallbackFailedError,
  ControlRequestError,
  ControlTimeoutError,
  SessionClosedError,
} from './errors/index.js';
export { fromControlHandler } from './from-control-handler.js';
export { fromSessionProcess } from './from-session-process.js';
export { type HookEntry, hookLookup, hookRegistration } from './hook-registration.js';
export type {
  PermissionMode,
  Session,
  SessionLifecycleEvent,
  SessionPrompt,
  SessionStatus,
  Turn,
  TurnResult,
} from './session.js';
export {
  type SessionChildSpec,
  type SessionChildSpecOptions,
  sessionChildSpec,
} from './session-child-spec.js';
export type { SessionActor } from './session-handle.js';
export { INITIALIZE_REQUEST_ID, sessionMachine } from './session-machine.js';
export {
  type CanUseTool,
  type CanUseToolContext,
  type HookCallback,
  type HookEvent,
  type HookMatcher,
  type HookOutput,
  type PermissionDecision,
  parseSessionOptions,
  type ResolvedSessionOptions,
  SessionOnlyOptionsSchema,
  type SessionOptions,
} from './session-options.js';
export type {
  ControlHandlerInput,
  ControlHandlerOutput,
  HookRegistration,
  PendingControl,
  QueuedTurn,
  SessionCallerEvent,
  SessionContext,
  SessionEmitted,
  SessionInput,
  SessionMachineEvent,
  SessionOutput,
  SessionProcessCommand,
  SessionProcessEvent,
  SessionProcessInput,
} from './session-types.js';
