import { fileURLToPath } from 'node:url';
import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { QueryOptions } from '../../src/machines/query/options/query-options.js';
import { runQuery } from '../../src/machines/query/run-query.js';
import { assistantText } from '../../src/machines/query/streams/assistant-text.js';
import { finalResult } from '../../src/machines/query/streams/final-result.js';
import { textDeltas } from '../../src/machines/query/streams/text-deltas.js';
import { liveProcesses } from '../../src/process/registry/process-registry.js';
import { eventually, isAlive, useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
const opts = (extra: QueryOptions = {}): QueryOptions => ({
  ...sim.env.options,
  retry: { maxAttempts: 2, initialDelayMs: 50, jitter: 0 },
  ...extra,
});

describe('a query actor running the real CLI against the simulator', () => {
  it('answers a plain query with text, session id, cost and usage', async () => {
    sim.env.simulator.on('capital of France', {
      kind: 'text',
      text: 'Paris.',
      usage: { inputTokens: 20, outputTokens: 3 },
    });
    const handle = runQuery('What is the capital of France?', opts());
    const texts = firstValueFrom(handle.messages$.pipe(assistantText(), toArray()));
    const result = await handle.result;
    expect(result).toMatchObject({
      status: 'succeeded',
      text: 'Paris.',
      attempts: 1,
      numTurns: 1,
      error: undefined,
    });
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.usage.inputTokens).toBe(20);
    expect(await texts).toEqual(['Paris.']);
    expect(sim.env.simulator.requests.at(-1)?.prompt).toBe('What is the capital of France?');
  });

  it('streams partial messages as text deltas that add up to the answer', async () => {
    const text = 'Streaming arrives in several small pieces, one delta at a time.';
    sim.env.simulator.on('stream', { kind: 'text', text, chunkSize: 8, chunkDelayMs: 5 });
    const handle = runQuery('stream please', opts({ includePartialMessages: true }));
    const deltas = firstValueFrom(handle.messages$.pipe(textDeltas(), toArray()));
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    expect((await deltas).length).toBeGreaterThanOrEqual(Math.ceil(text.length / 8));
    expect((await deltas).join('')).toBe(text);
    expect(await firstValueFrom(handle.messages$.pipe(finalResult()))).toMatchObject({
      result: text,
    });
  });

  it('retries a 529 overload and succeeds on the second attempt', async () => {
    sim.env.simulator.on('flaky', [
      { kind: 'error', status: 529 },
      { kind: 'text', text: 'second time lucky' },
    ]);
    const handle = runQuery('flaky request', opts());
    const retrying = firstValueFrom(handle.events$.pipe(toArray()));
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'succeeded', text: 'second time lucky', attempts: 2 });
    expect(result.attemptErrors[0]).toMatchObject({
      code: 'API_ERROR',
      status: 529,
      retryable: true,
    });
    expect((await retrying).filter((e) => e.type === 'query.spawned')).toHaveLength(2);
  });

  it('retries a query with a fixed session id under a fresh id', async () => {
    sim.env.simulator.on('session', [
      { kind: 'error', status: 529 },
      { kind: 'text', text: 'ok' },
    ]);
    const sessionId = '0b6c2a58-2f0e-4f59-9a43-5d1f1f0c7a11';
    const result = await runQuery('session retry', opts({ sessionId })).result;
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(result.attemptErrors[0]).toMatchObject({ status: 529 });
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.sessionId).not.toBe(sessionId);
  });

  it('returns structured output when the model calls the StructuredOutput tool', async () => {
    // The CLI implements --json-schema as a StructuredOutput tool whose input is the answer.
    sim.env.simulator.on('json please', {
      kind: 'tool_use',
      name: 'StructuredOutput',
      input: { answer: 42 },
    });
    const jsonSchema = {
      type: 'object',
      properties: { answer: { type: 'number' } },
      required: ['answer'],
    };
    const result = await runQuery('json please', opts({ jsonSchema })).result;
    expect(result.status).toBe('succeeded');
    expect(result.structuredOutput).toEqual({ answer: 42 });
    const tools = (
      sim.env.simulator.requests[0]?.body as { tools: { name: string; input_schema: unknown }[] }
    ).tools;
    expect(tools.find((t) => t.name === 'StructuredOutput')?.input_schema).toEqual(jsonSchema);
  });

  it('fails a 401 at once with a clear error and does not retry', async () => {
    sim.env.simulator.on('secret', { kind: 'error', status: 401 });
    const result = await runQuery(
      'secret stuff',
      opts({ retry: { maxAttempts: 3, initialDelayMs: 50 } }),
    ).result;
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(result.error).toMatchObject({ code: 'API_ERROR', status: 401, retryable: false });
    expect(result.error?.message).toMatch(/401.*API key/);
    expect(sim.env.simulator.requests).toHaveLength(1);
  });

  it('stops the CLI early when its own retry loop reports a 401', async () => {
    sim.env.simulator.on('auth', { kind: 'error', status: 401 });
    const started = Date.now();
    // With CLI retries on, the CLI alone would spend minutes retrying a 401.
    const result = await runQuery('auth please', opts({ cliMaxRetries: 5 })).result;
    expect(result.error).toMatchObject({ code: 'API_ERROR', status: 401, retryable: false });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('kills a hanging CLI after the idle timeout and retries it', async () => {
    sim.env.simulator.on('hang', [{ kind: 'hang' }, { kind: 'text', text: 'awake now' }]);
    // The idle limit is what is tested; a CLI slow to start on a loaded machine is not a hang.
    const handle = runQuery('hang once', opts({ timeouts: { idleMs: 1_500, startMs: 30_000 } }));
    const pids: number[] = [];
    handle.events$.subscribe((e) => e.type === 'query.spawned' && e.pid && pids.push(e.pid));
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'succeeded', text: 'awake now', attempts: 2 });
    expect(result.attemptErrors[0]).toMatchObject({ code: 'IDLE_TIMEOUT', retryable: true });
    expect(pids).toHaveLength(2);
    expect(isAlive(pids[0]!)).toBe(false);
  });

  it('fails with IDLE_TIMEOUT when retries are used up, leaving no process', async () => {
    sim.env.simulator.on('forever', { kind: 'hang' });
    const result = await runQuery(
      'forever hang',
      opts({ retry: { maxAttempts: 1 }, timeouts: { idleMs: 1_000 } }),
    ).result;
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'IDLE_TIMEOUT' });
  });

  it('notices a CLI killed with SIGKILL mid-stream and retries it', async () => {
    sim.env.simulator.on('slow', [
      { kind: 'text', text: 'a long answer that streams slowly', chunkSize: 4, chunkDelayMs: 150 },
      { kind: 'text', text: 'retried answer' },
    ]);
    const handle = runQuery('slow stream', opts({ includePartialMessages: true }));
    let killed = false;
    handle.messages$.pipe(textDeltas()).subscribe(() => {
      const pid = handle.actor.getSnapshot().context.pid;
      if (!killed && pid) {
        killed = true;
        process.kill(pid, 'SIGKILL');
      }
    });
    const result = await handle.result;
    expect(killed).toBe(true);
    expect(result).toMatchObject({ status: 'succeeded', text: 'retried answer', attempts: 2 });
    expect(result.attemptErrors[0]).toMatchObject({
      code: 'PROCESS_EXITED',
      signal: 'SIGKILL',
      retryable: true,
    });
  });

  it('is cancelled by an AbortSignal, killing the process', async () => {
    sim.env.simulator.on('cancel me', {
      kind: 'text',
      text: 'x'.repeat(200),
      chunkSize: 2,
      chunkDelayMs: 100,
    });
    const controller = new AbortController();
    const handle = runQuery('cancel me please', opts({ includePartialMessages: true }), {
      signal: controller.signal,
    });
    handle.messages$.pipe(textDeltas()).subscribe(() => controller.abort('enough'));
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(result.error).toMatchObject({ code: 'CANCELLED' });
    expect(await eventually(() => liveProcesses().length === 0, 5_000)).toBe(true);
  });

  it('turns garbage lines into protocol-error events and still delivers the result', async () => {
    const executable = fileURLToPath(new URL('../fixtures/garbage-cli.mjs', import.meta.url));
    const handle = runQuery('ping', opts({ executable, maxLineBytes: 1024 }));
    const events = firstValueFrom(handle.events$.pipe(toArray()));
    const result = await handle.result;
    expect(result).toMatchObject({
      status: 'succeeded',
      text: 'echo: ping',
      sessionId: 'garbage-session',
    });
    const all = await events;
    const reasons = all.flatMap((e) => (e.type === 'query.protocol_error' ? [e.error.reason] : []));
    expect(reasons).toEqual(
      expect.arrayContaining([
        'malformed_json',
        'not_an_object',
        'line_too_long',
        'invalid_message',
      ]),
    );
    const unknown = all.find((e) => e.type === 'query.message' && e.message.type === 'unknown');
    expect(unknown).toMatchObject({ message: { originalType: 'brand_new_type' } });
  });

  it('reports a missing executable as a permanent failure naming where it looked', async () => {
    expect(() => runQuery('x', opts({ executable: '/nonexistent/claude' }))).not.toThrow();
    const result = await runQuery('x', opts({ executable: '/nonexistent/claude' })).result;
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(result.error).toMatchObject({ code: 'EXECUTABLE_NOT_FOUND', retryable: false });
    expect(result.error?.message).toContain('/nonexistent/claude');
  });

  it('throws one error naming the option and value for invalid options', () => {
    expect(() => runQuery('x', { maxTurns: -1 } as QueryOptions)).toThrow(/maxTurns.*-1/);
  });
});
