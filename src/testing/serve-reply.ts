import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildAssistantMessage } from './assistant-message.js';
import { defaultErrorType, type SimReply } from './sim-reply.js';
import type { SimRequest } from './sim-request.js';
import {
  formatSseEvent,
  messageEvents,
  messageStartEvent,
  type SseEvent,
  textBlockEvents,
} from './sse-events.js';

/** Timing used when a reply does not set its own. */
export interface ReplyTiming {
  readonly ttftMs: number;
  readonly chunkDelayMs: number;
  readonly chunkSize: number;
}

/** Text streamed by a `cut` reply that sets none. */
const DEFAULT_CUT_TEXT = 'This reply is cut off mid-stream and never reaches its end.';

function requestId(): string {
  return `req_sim_${randomBytes(8).toString('hex')}`;
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms > 0) await sleep(ms, undefined, { signal });
}

function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    res.write(data, (error) => (error ? reject(error) : resolve()));
  });
}

function startStream(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': requestId(),
  });
  res.flushHeaders();
}

async function streamEvents(
  res: ServerResponse,
  events: readonly SseEvent[],
  chunkDelayMs: number,
  signal: AbortSignal,
): Promise<void> {
  let chunksSent = 0;
  for (const event of events) {
    if (event.chunk && chunksSent > 0) await pause(chunkDelayMs, signal);
    signal.throwIfAborted();
    await write(res, formatSseEvent(event));
    if (event.chunk) chunksSent += 1;
  }
}

/**
 * Sends the Anthropic-format error body for an HTTP status.
 *
 * @internal
 */
export function sendError(
  res: ServerResponse,
  status: number,
  errorType: string,
  message: string,
  retryAfterSec?: number,
): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'request-id': requestId(),
  };
  if (retryAfterSec !== undefined) headers['retry-after'] = String(retryAfterSec);
  res.writeHead(status, headers);
  res.end(JSON.stringify({ type: 'error', error: { type: errorType, message } }));
}

/**
 * Answers one Messages API request with `reply`, streamed when the request asked for it.
 * Resolves when the answer is complete, the socket was cut on purpose, or `signal` aborted
 * (client gone or simulator closing); a `hang` only ends through `signal`.
 *
 * @internal
 */
export async function serveReply(
  res: ServerResponse,
  reply: SimReply,
  context: { request: SimRequest; timing: ReplyTiming; signal: AbortSignal },
): Promise<void> {
  const { request, timing, signal } = context;
  try {
    await serve(res, reply, request, timing, signal);
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
}

async function serve(
  res: ServerResponse,
  reply: SimReply,
  request: SimRequest,
  timing: ReplyTiming,
  signal: AbortSignal,
): Promise<void> {
  switch (reply.kind) {
    case 'hang': {
      if (reply.afterHeaders === true) {
        if (request.stream) startStream(res);
        else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.flushHeaders();
        }
      }
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
      return;
    }
    case 'error': {
      await pause(reply.ttftMs ?? timing.ttftMs, signal);
      const errorType = reply.errorType ?? defaultErrorType(reply.status);
      const message = reply.message ?? `Simulated ${errorType} (HTTP ${reply.status})`;
      sendError(res, reply.status, errorType, message, reply.retryAfterSec);
      return;
    }
    case 'cut': {
      await pause(reply.ttftMs ?? timing.ttftMs, signal);
      const text = reply.text ?? DEFAULT_CUT_TEXT;
      if (!request.stream) {
        // Promise a longer body than is sent, so the client sees a truncated response.
        const partial = JSON.stringify({ type: 'message', content: [{ type: 'text', text }] });
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(partial.length * 2),
        });
        await write(res, partial.slice(0, Math.floor(partial.length / 2)));
        res.socket?.destroy();
        return;
      }
      const message = buildAssistantMessage(
        { kind: 'text', text },
        { model: request.model, prompt: request.prompt },
      );
      const [start, ...chunks] = textBlockEvents(0, text, timing.chunkSize);
      const kept = chunks.slice(0, reply.afterChunks ?? 1);
      startStream(res);
      await streamEvents(
        res,
        [messageStartEvent(message), ...(start ? [start] : []), ...kept],
        reply.chunkDelayMs ?? timing.chunkDelayMs,
        signal,
      );
      res.socket?.destroy();
      return;
    }
    case 'text':
    case 'tool_use': {
      await pause(reply.ttftMs ?? timing.ttftMs, signal);
      const message = buildAssistantMessage(reply, {
        model: request.model,
        prompt: request.prompt,
      });
      if (!request.stream) {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId() });
        res.end(JSON.stringify(message));
        return;
      }
      startStream(res);
      await streamEvents(
        res,
        messageEvents(message, reply.chunkSize ?? timing.chunkSize),
        reply.chunkDelayMs ?? timing.chunkDelayMs,
        signal,
      );
      res.end();
      return;
    }
  }
}
