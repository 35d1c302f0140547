export { apiError, cut, hang, text, toolUse } from './builders.js';
export {
  createSimulatedEnvironment,
  type SimulatedEnvironment,
} from './create-simulated-environment.js';
export { createSimulator, SIMULATOR_API_KEY } from './create-simulator.js';
export type { SimulatorScript } from './script-schema.js';
export {
  loadSimulatorScript,
  SimRuleSchema,
  SimScriptDefaultsSchema,
  SimulatorScriptSchema,
} from './script-schema.js';
export type { SimMatchJson } from './sim-match-json.js';
export { SimMatchJsonSchema } from './sim-match-json.js';
export type {
  SimCutReply,
  SimErrorReply,
  SimHangReply,
  SimReply,
  SimTextReply,
  SimToolUseReply,
  SimUsage,
} from './sim-reply.js';
export { defaultErrorType, SimReplySchema } from './sim-reply.js';
export type { SimRequest, SimToolResult } from './sim-request.js';
export type { SimMatch, SimRule } from './sim-rule.js';
export type { Simulator } from './simulator.js';
export type { SimulatorLogger } from './simulator-logger.js';
export type { SimulatorOptions } from './simulator-options.js';
