/**
 * Test tooling, public on purpose: a local server that speaks the Anthropic Messages API, so
 * the real Claude Code CLI runs offline and deterministically in your own tests.
 *
 * @packageDocumentation
 */
export * from './simulator/index.js';

export { liveProcesses, waitForNoLiveProcesses } from './transport/process-registry.js';
