/**
 * Test tooling, public on purpose: a local server that speaks the Anthropic Messages API, so
 * the real Claude Code CLI runs offline and deterministically in your own tests.
 *
 * @packageDocumentation
 */
export { apiError, cut, hang, text, toolUse } from './simulator/builders.js';
export {
  createSimulatedEnvironment,
  type SimulatedEnvironment,
} from './simulator/create-simulated-environment.js';
export { createSimulator, SIMULATOR_API_KEY } from './simulator/create-simulator.js';
export {
  loadSimulatorScript,
  SimRuleSchema,
  SimScriptDefaultsSchema,
  type SimulatorScript,
  SimulatorScriptSchema,
} from './simulator/script-schema.js';
export { type SimMatchJson, SimMatchJsonSchema } from './simulator/sim-match-json.js';
export {
  defaultErrorType,
  type SimCutReply,
  type SimErrorReply,
  type SimHangReply,
  type SimReply,
  SimReplySchema,
  type SimTextReply,
  type SimToolUseReply,
  type SimUsage,
} from './simulator/sim-reply.js';
export type { SimRequest, SimToolResult } from './simulator/sim-request.js';
export type { SimMatch, SimRule } from './simulator/sim-rule.js';
export type { Simulator } from './simulator/simulator.js';
export type { SimulatorLogger } from './simulator/simulator-logger.js';
export type { SimulatorOptions } from './simulator/simulator-options.js';

export { liveProcesses, waitForNoLiveProcesses } from './transport/process-registry.js';
