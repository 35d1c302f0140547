export { assistantText } from './assistant-text.js';
export { finalResult } from './final-result.js';
export { queryEvents } from './query-events.js';
export { messagesOf, queryMessages } from './query-messages.js';
export { textDeltas } from './text-deltas.js';
export { type ToolUse, toolUses } from './tool-uses.js';
