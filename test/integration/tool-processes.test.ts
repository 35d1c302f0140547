import { afterEach, describe, expect, it } from 'vitest';
import type { QueryOptions } from '../../src/machines/query/options/query-options.js';
import { runQuery } from '../../src/machines/query/run-query.js';
import { toolUse } from '../../src/testing/builders.js';
import { eventually, useSimulator } from '../helpers/integration.js';
import {
  allRunning,
  killIssuedTokens,
  neverEndingTools,
  noneRunning,
  uniqueToken,
} from '../helpers/processes-with-arg.js';

const sim = useSimulator();
afterEach(() => {
  // Whatever happened in the test, none of its tool processes may survive it.
  killIssuedTokens();
});

const opts = (extra: QueryOptions = {}): QueryOptions => ({
  ...sim.env.options,
  allowedTools: ['Bash'],
  cliMaxRetries: 0,
  retry: { maxAttempts: 1 },
  ...extra,
});

describe('tool processes the CLI starts die with it', () => {
  it.each([2_000, 0])('on cancel of the query (kill grace %i ms)', async (killGraceMs) => {
    const { command, all } = neverEndingTools();
    sim.env.simulator.on('run forever', toolUse('Bash', { command }));
    const controller = new AbortController();
    const handle = runQuery('run forever', opts({ timeouts: { killGraceMs } }), {
      signal: controller.signal,
    });
    expect(await eventually(allRunning(all), 20_000)).toBe(true);
    controller.abort('enough');
    expect((await handle.result).status).toBe('cancelled');
    expect(await eventually(noneRunning(all), 2_000)).toBe(true);
  });

  it('on a timeout of the query', async () => {
    const { command, all } = neverEndingTools();
    sim.env.simulator.on('run forever', toolUse('Bash', { command }));
    const handle = runQuery('run forever', opts({ timeouts: { idleMs: 4_000, killGraceMs: 500 } }));
    expect(await eventually(allRunning(all), 20_000)).toBe(true);
    const result = await handle.result;
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'IDLE_TIMEOUT' });
    expect(await eventually(noneRunning(all), 2_000)).toBe(true);
  });

  it('when the CLI exits normally, leaving processes a tool backgrounded', async () => {
    const background = uniqueToken();
    const detached = uniqueToken();
    const command = [
      `tail -f -s ${background} /dev/null </dev/null >/dev/null 2>&1 &`,
      `setsid tail -f -s ${detached} /dev/null </dev/null >/dev/null 2>&1 &`,
      'echo started',
    ].join('\n');
    sim.env.simulator.on('start and leave', toolUse('Bash', { command }));
    const handle = runQuery('start and leave', opts());
    expect((await handle.result).status).toBe('succeeded');
    const [toolResult] = sim.env.simulator.requests.at(-1)?.toolResults ?? [];
    expect(toolResult).toMatchObject({
      isError: false,
      content: expect.stringContaining('started'),
    });
    expect(await eventually(noneRunning([background, detached]), 2_000)).toBe(true);
  });
});
