import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cut, hang, text } from '../../src/testing/builders.js';
import { createSimulator } from '../../src/testing/create-simulator.js';
import type { Simulator } from '../../src/testing/simulator.js';
import { cliBody, post } from './sim-client.js';

/** Reads a response body until the stream ends or fails; returns what arrived and how. */
async function drain(res: Response): Promise<{ body: string; failed: boolean }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let body = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { body, failed: false };
      body += decoder.decode(value, { stream: true });
    }
  } catch {
    return { body, failed: true };
  }
}

describe('cut and hang replies', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await createSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it('cuts the stream after the given number of deltas', async () => {
    sim.enqueue(cut({ afterChunks: 2, text: 'aaaabbbbccccdddd' }));
    await sim.close();
    sim = await createSimulator({ chunkSize: 4 });
    sim.enqueue(cut({ afterChunks: 2, text: 'aaaabbbbccccdddd' }));
    const res = await post(sim, cliBody('x'));
    expect(res.status).toBe(200);
    const { body, failed } = await drain(res);
    expect(failed).toBe(true);
    expect(body).toContain('event: message_start');
    expect(body.match(/event: content_block_delta/g)).toHaveLength(2);
    expect(body).toContain('bbbb');
    expect(body).not.toContain('cccc');
    expect(body).not.toContain('message_stop');
  });

  it('cuts a non-stream response mid-body', async () => {
    sim.enqueue(cut());
    const res = await post(sim, cliBody('x', { stream: false }));
    await expect(res.json()).rejects.toThrow();
  });

  it('never answers a hang until close() destroys the connection', async () => {
    sim.enqueue(hang());
    const pending = post(sim, cliBody('x'));
    await sim.waitForRequests(1);
    expect(sim.activeConnections()).toBe(1);
    const outcome = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 100)),
    ]);
    expect(outcome).toBe('still waiting');
    await sim.close();
    await expect(pending).rejects.toThrow();
    expect(sim.activeConnections()).toBe(0);
  });

  it('sends only the SSE headers for a hang after headers', async () => {
    sim.enqueue(hang({ afterHeaders: true }));
    const res = await post(sim, cliBody('x'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reading = drain(res);
    await sim.close();
    expect((await reading).body).toBe('');
  });

  it('stops a hang when the client aborts, and keeps serving others', async () => {
    sim.enqueue(hang(), text('next'));
    const controller = new AbortController();
    const pending = post(sim, cliBody('x'), { signal: controller.signal });
    await sim.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    const res = await post(sim, cliBody('y'));
    expect(await res.text()).toContain('next');
  });

  it('close() is idempotent', async () => {
    await Promise.all([sim.close(), sim.close()]);
    await expect(sim.close()).resolves.toBeUndefined();
  });

  it('waitForRequests rejects after its timeout, naming the counts', async () => {
    await expect(sim.waitForRequests(2, 30)).rejects.toThrow(
      'Expected 2 request(s) to /v1/messages within 30 ms, got 0',
    );
  });

  it('waitForRequests resolves once enough requests arrived', async () => {
    const waiting = sim.waitForRequests(2);
    await post(sim, cliBody('a')).then((r) => r.text());
    await post(sim, cliBody('b')).then((r) => r.text());
    await expect(waiting).resolves.toBeUndefined();
  });
});
