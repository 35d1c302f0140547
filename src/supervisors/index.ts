export { ExponentialRestartBackoff } from './backoff/exponential-restart-backoff.js';
export type { BackoffState, RestartBackoff } from './backoff/restart-backoff.js';
export { ChildSpecSchema, SupervisorFlagsSchema } from './child-spec-schema.js';
export {
  createSupervisor,
  type SupervisorLogic,
  type SupervisorSnapshot,
} from './create-supervisor.js';
export { defaultExitReason } from './normalize-child-spec.js';
export { addRestart } from './restart-intensity.js';
export { SHUTDOWN_EVENT, type ShutdownEvent } from './shutdown-event.js';
export { type SupervisorClient, supervisorClient } from './supervisor-client.js';
export type { SupervisedChildView, SupervisorContext } from './supervisor-context.js';
export type { SupervisorOutput } from './supervisor-run.js';
export type * from './types.js';
export { countChildren, whichChildren } from './which-children.js';
