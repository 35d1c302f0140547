import type { Simulator } from '../../src/testing/simulator.js';

/** One parsed server-sent event. */
export interface ParsedEvent {
  event: string;
  data: Record<string, unknown> & { type: string };
}

/** Parses a complete `event:`/`data:` stream body. */
export function parseSse(body: string): ParsedEvent[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) as ParsedEvent['data'] };
    });
}

/** A user message the way the CLI sends it: system reminders first, the prompt last. */
export function cliUserMessage(prompt: string): Record<string, unknown> {
  return {
    role: 'user',
    content: [
      { type: 'text', text: '<system-reminder>\nSome context.\n</system-reminder>\n' },
      { type: 'text', text: prompt },
    ],
  };
}

/** A body shaped like the CLI's first request of a turn. */
export function cliBody(
  prompt: string,
  extra: { stream?: boolean; messages?: unknown[] } = {},
): Record<string, unknown> {
  return {
    model: 'claude-opus-5-5',
    stream: extra.stream ?? true,
    system: [{ type: 'text', text: 'You are a Claude agent.' }],
    tools: [],
    messages: extra.messages ?? [
      cliUserMessage(prompt),
      { role: 'system', content: [{ type: 'text', text: '# Environment' }] },
    ],
  };
}

/** A follow-up body: the turn's prompt, the assistant tool call, then the tool result. */
export function toolResultBody(prompt: string, toolUseId = 'toolu_1'): Record<string, unknown> {
  return cliBody(prompt, {
    messages: [
      cliUserMessage(prompt),
      { role: 'system', content: '# Environment' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: toolUseId, name: 'Read', input: { file_path: '/x' } }],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: toolUseId, content: 'file body' }],
      },
    ],
  });
}

/** POSTs a Messages API body to the simulator. */
export function post(
  sim: Simulator,
  body: unknown,
  init: { path?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${sim.url}${init.path ?? '/v1/messages?beta=true'}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'sk-ant-secret',
      ...init.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

/** Sends a streaming request and returns its parsed events. */
export async function streamed(sim: Simulator, prompt: string): Promise<ParsedEvent[]> {
  const res = await post(sim, cliBody(prompt));
  return parseSse(await res.text());
}

/** The concatenated text deltas of a stream. */
export function streamedText(events: readonly ParsedEvent[]): string {
  return events
    .filter((e) => e.event === 'content_block_delta')
    .map((e) => (e.data.delta as { text?: string }).text ?? '')
    .join('');
}
