import { type AnyEventObject, fromCallback } from 'xstate';
import type { ExitFacts } from '../../src/machines/query/classify/classify-exit.js';
import type { ProcessEvent, ProcessInput } from '../../src/machines/query/query-types.js';
import type { CliMessage } from '../../src/protocol/cli-message.js';
import { parseCliLine } from '../../src/protocol/parse-cli-line.js';

/** One step of a scripted CLI: an event after `afterMs` (relative to the previous step). */
export interface ScriptStep {
  readonly afterMs?: number;
  readonly event: ProcessEvent;
}

/** What the scripted process actor recorded, per attempt. */
export interface ScriptLog {
  started: number[];
  stopped: number[];
}

/**
 * A stand-in for the real process actor: plays a script of events per attempt on (fake)
 * timers and records when the machine stops it (which, for real, kills the process).
 */
export function scriptedProcess(script: (attempt: number) => readonly ScriptStep[]) {
  const log: ScriptLog = { started: [], stopped: [] };
  const logic = fromCallback<AnyEventObject, ProcessInput>(({ input, sendBack }) => {
    log.started.push(input.attempt);
    const timers: NodeJS.Timeout[] = [];
    let at = 0;
    for (const step of script(input.attempt)) {
      at += step.afterMs ?? 0;
      timers.push(setTimeout(() => sendBack(step.event), at));
    }
    return () => {
      log.stopped.push(input.attempt);
      for (const timer of timers) clearTimeout(timer);
    };
  });
  return { logic, log };
}

/** Parses a wire object exactly as the real actor would. */
export function cli(object: Record<string, unknown>): CliMessage {
  const parsed = parseCliLine(JSON.stringify(object));
  if (parsed === undefined || parsed.type === 'protocol_error') {
    throw new Error(`test fixture is not a valid CLI message: ${JSON.stringify(parsed)}`);
  }
  return parsed;
}

export const init = (sessionId = 'sess-1'): ProcessEvent => ({
  type: 'claude.message',
  message: cli({ type: 'system', subtype: 'init', session_id: sessionId, tools: [], model: 'm' }),
});

export const assistant = (text: string): ProcessEvent => ({
  type: 'claude.message',
  message: cli({
    type: 'assistant',
    session_id: 'sess-1',
    parent_tool_use_id: null,
    message: { role: 'assistant', content: [{ type: 'text', text }] },
  }),
});

export const result = (fields: Record<string, unknown> = {}): ProcessEvent => ({
  type: 'claude.message',
  message: cli({
    type: 'result',
    subtype: 'success',
    is_error: false,
    result: 'done',
    session_id: 'sess-1',
    total_cost_usd: 0.01,
    num_turns: 1,
    duration_ms: 100,
    duration_api_ms: 80,
    usage: { input_tokens: 10, output_tokens: 5 },
    ...fields,
  }),
});

export const apiErrorResult = (status: number, type: string, costUsd = 0): ProcessEvent =>
  result({
    is_error: true,
    terminal_reason: 'api_error',
    api_error_status: status,
    api_error_type: type,
    result: `API Error: ${status}`,
    total_cost_usd: costUsd,
  });

export const apiRetry = (status: number | null, error: string): ProcessEvent => ({
  type: 'claude.message',
  message: cli({
    type: 'system',
    subtype: 'api_retry',
    attempt: 1,
    max_retries: 10,
    retry_delay_ms: 500,
    error_status: status,
    error,
    session_id: 'sess-1',
  }),
});

export const exited = (exit: Partial<ExitFacts> = {}): ProcessEvent => ({
  type: 'claude.exited',
  exit: { exitCode: 0, signal: undefined, stderrTail: '', ...exit },
});

export const spawned = (pid = 4242): ProcessEvent => ({ type: 'claude.spawned', pid });
