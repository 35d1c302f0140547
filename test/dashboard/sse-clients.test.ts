import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SseClients } from '../../src/dashboard/sse-clients.js';

function fakeResponse() {
  const written: string[] = [];
  const listeners = new Map<string, () => void>();
  const response = {
    writableLength: 0,
    destroyed: false,
    ended: false,
    written,
    writeHead: () => response,
    write: (text: string) => {
      written.push(text);
      return true;
    },
    on: (name: string, listener: () => void) => listeners.set(name, listener),
    destroy: () => {
      response.destroyed = true;
      listeners.get('close')?.();
    },
    end: () => {
      response.ended = true;
    },
  };
  return response;
}

describe('SseClients', () => {
  it('frames events as Server-Sent Events after a retry hint', () => {
    const clients = new SseClients(1024);
    const page = fakeResponse();
    clients.add(page as unknown as ServerResponse, 'snapshot', '{"a":1}');
    clients.broadcast('updates', '[1]');
    expect(page.written).toEqual([
      'retry: 1000\n\n',
      'event: snapshot\ndata: {"a":1}\n\n',
      'event: updates\ndata: [1]\n\n',
    ]);
  });

  it('cuts off a page that falls more than maxBacklogBytes behind, and only that one', () => {
    const clients = new SseClients(1024);
    const slow = fakeResponse();
    const fast = fakeResponse();
    clients.add(slow as unknown as ServerResponse, 'snapshot', '{}');
    clients.add(fast as unknown as ServerResponse, 'snapshot', '{}');
    slow.writableLength = 2048;
    clients.broadcast('updates', '[]');
    expect(slow.destroyed).toBe(true);
    expect(fast.destroyed).toBe(false);
    expect(fast.written.at(-1)).toBe('event: updates\ndata: []\n\n');
    expect(clients.size).toBe(1);
    expect(clients.cutOff).toBe(1);
  });

  it('ends every stream on closeAll', () => {
    const clients = new SseClients(1024);
    const page = fakeResponse();
    clients.add(page as unknown as ServerResponse, 'snapshot', '{}');
    clients.closeAll();
    expect(page.ended).toBe(true);
    expect(clients.size).toBe(0);
  });
});
