import { get, type IncomingMessage } from 'node:http';

/** One Server-Sent Event. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** Reads the event stream at `url`; `next()` resolves with each event as it comes. */
export async function openEvents(url: string): Promise<{
  readonly response: IncomingMessage;
  next(): Promise<SseEvent>;
  close(): void;
}> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    get(url, resolve).on('error', reject);
  });
  const queue: SseEvent[] = [];
  const waiting: ((event: SseEvent) => void)[] = [];
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const fields = Object.fromEntries(
        block
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      if (fields.event === undefined) continue;
      const event = { event: fields.event, data: fields.data ?? '' };
      const waiter = waiting.shift();
      if (waiter) waiter(event);
      else queue.push(event);
    }
  });
  return {
    response,
    next: () => {
      const event = queue.shift();
      return event ? Promise.resolve(event) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => response.destroy(),
  };
}
