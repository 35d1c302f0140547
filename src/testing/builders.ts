import type {
  SimCutReply,
  SimErrorReply,
  SimHangReply,
  SimTextReply,
  SimToolUseReply,
} from './sim-reply.js';

/**
 * A text reply.
 *
 * @example
 * sim.enqueue(text('Hello!', { chunkDelayMs: 20 }));
 */
export function text(
  content: string,
  options: Omit<SimTextReply, 'kind' | 'text'> = {},
): SimTextReply {
  return { kind: 'text', text: content, ...options };
}

/**
 * A tool call reply; the CLI runs the tool and sends its result in the next request.
 *
 * @example
 * sim.enqueue(toolUse('Read', { file_path: `${cwd}/notes.txt` }), text('Done.'));
 */
export function toolUse(
  name: string,
  input: Record<string, unknown>,
  options: Omit<SimToolUseReply, 'kind' | 'name' | 'input'> = {},
): SimToolUseReply {
  return { kind: 'tool_use', name, input, ...options };
}

/**
 * An HTTP error reply in the Anthropic format; the error type defaults from the status.
 *
 * @example
 * sim.enqueue(apiError(429, { retryAfterSec: 1 }), apiError(529));
 */
export function apiError(
  status: number,
  options: Omit<SimErrorReply, 'kind' | 'status'> = {},
): SimErrorReply {
  return { kind: 'error', status, ...options };
}

/**
 * A reply that starts streaming, sends `afterChunks` text deltas, then drops the connection.
 *
 * CLI 2.1.330 answers a stream cut mid-way by retrying the same request once with
 * `stream: false` (even with `CLAUDE_CODE_MAX_RETRIES=0`); if that fails too, the turn ends with
 * `is_error: true` and "Connection to the API was lost (ECONNRESET)".
 *
 * @example
 * sim.enqueue(cut({ afterChunks: 2 }));
 */
export function cut(options: Omit<SimCutReply, 'kind'> = {}): SimCutReply {
  return { kind: 'cut', ...options };
}

/**
 * A reply that never comes (with `afterHeaders`, a 200 stream that never sends an event).
 *
 * @example
 * sim.enqueue(hang({ afterHeaders: true }));
 */
export function hang(options: Omit<SimHangReply, 'kind'> = {}): SimHangReply {
  return { kind: 'hang', ...options };
}
