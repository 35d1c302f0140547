/**
 * Test tooling, public on purpose: a local server that speaks the Anthropic Messages API, so
 * the real Claude Code CLI runs offline and deterministically in your own tests.
 *
 * @packageDocumentation
 */

export { liveProcesses, waitForNoLiveProcesses } from './process/registry/process-registry.js';
export { apiError, cut, hang, text, toolUse } from './testing/builders.js';
export {
  createSimulatedEnvironment,
  type SimulatedEnvironment,
} from './testing/create-simulated-environment.js';
export { createSimulator, SIMULATOR_API_KEY } from './testing/create-simulator.js';
export {
  loadSimulatorScript,
  SimRuleSchema,
  SimScriptDefaultsSchema,
  type SimulatorScript,
  SimulatorScriptSchema,
} from './testing/script-schema.js';
export { type SimMatchJson, SimMatchJsonSchema } from './testing/sim-match-json.js';
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
} from './testing/sim-reply.js';
export type { SimRequest, SimToolResult } from './testing/sim-request.js';
export type { SimMatch, SimRule } from './testing/sim-rule.js';
export type { Simulator } from './testing/simulator.js';
export type { SimulatorLogger } from './testing/simulator-logger.js';
export type { SimulatorOptions } from './testing/simulator-options.js';
