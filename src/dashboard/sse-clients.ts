import type { ServerResponse } from 'node:http';

/**
 * The pages connected to the event stream (Server-Sent Events). A page whose connection holds
 * more than `maxBacklogBytes` unsent is cut off instead of buffered without bound: its
 * `EventSource` reconnects and is sent the whole state again.
 *
 * @internal
 */
export class SseClients {
  readonly #clients = new Set<ServerResponse>();
  #cutOff = 0;

  constructor(private readonly maxBacklogBytes: number) {}

  /** How many pages are connected. */
  get size(): number {
    return this.#clients.size;
  }

  /** Pages cut off for being too slow so far. */
  get cutOff(): number {
    return this.#cutOff;
  }

  /** Starts the stream on `response` with its first event. */
  add(response: ServerResponse, event: string, data: string): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    // Reconnect after a second when the connection drops.
    response.write('retry: 1000\n\n');
    response.write(frame(event, data));
    this.#clients.add(response);
    response.on('close', () => this.#clients.delete(response));
  }

  /** Sends one event to every page. */
  broadcast(event: string, data: string): void {
    const text = frame(event, data);
    for (const client of this.#clients) {
      if (client.writableLength > this.maxBacklogBytes) {
        this.#cutOff += 1;
        this.#clients.delete(client);
        client.destroy();
        continue;
      }
      client.write(text);
    }
  }

  /** Ends every stream. */
  closeAll(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }
}

/** One SSE event; JSON has no raw newlines, so `data` is one line. */
function frame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}
