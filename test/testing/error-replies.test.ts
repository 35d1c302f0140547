import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError } from '../../src/testing/builders.js';
import { createSimulator } from '../../src/testing/create-simulator.js';
import type { Simulator } from '../../src/testing/simulator.js';
import { cliBody, post } from './sim-client.js';

describe('error replies', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await createSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it.each([
    [429, 'rate_limit_error'],
    [529, 'overloaded_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [400, 'invalid_request_error'],
    [500, 'api_error'],
    [503, 'api_error'],
  ])('answers HTTP %i with an Anthropic %s body', async (status, errorType) => {
    sim.enqueue(apiError(status));
    const res = await post(sim, cliBody('x'));
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('retry-after')).toBeNull();
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: 'error', error: { type: errorType } });
    expect(body.error.message).toContain(String(status));
  });

  it('sends retry-after, a custom type and a custom message', async () => {
    sim.enqueue(
      apiError(429, { retryAfterSec: 3, errorType: 'custom_error', message: 'slow down' }),
    );
    const res = await post(sim, cliBody('x'));
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'custom_error', message: 'slow down' },
    });
  });

  it('answers the same error to a non-stream request', async () => {
    sim.enqueue(apiError(529));
    const res = await post(sim, cliBody('x', { stream: false }));
    expect(res.status).toBe(529);
    expect(await res.json()).toMatchObject({ error: { type: 'overloaded_error' } });
  });
});
