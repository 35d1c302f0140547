import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/cli/dispatch.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { openSqliteStore } from '../../src/store/open-sqlite-store.js';
import { captureIo } from '../cli/capture.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ca-session-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the session store (real CLI against the simulator)', () => {
  it('records a query in a SQLite store, where `claude-actors sessions list` finds it', async () => {
    const file = join(dir, 'store.db');
    const store = openSqliteStore(file);
    const runtime = createRuntime({ defaults: sim.env.options, store });
    sim.env.simulator.on('name three actors', { kind: 'text', text: 'Ada, Bo and Cy.' });
    const result = await runtime.query('Please name three actors', {}, { tags: ['cast'] }).result;
    await runtime.stop();
    await store.close();
    expect(result.status).toBe('succeeded');

    const { io, out, err } = captureIo();
    const code = await dispatch(
      ['sessions', 'list', '--store', file, '--tag', 'cast', '--search', 'THREE', '--json'],
      io,
    );
    expect({ code, err: err() }).toEqual({ code: 0, err: '' });
    const { sessions, total } = JSON.parse(out());
    expect(total).toBe(1);
    expect(sessions[0]).toMatchObject({
      id: result.sessionId,
      kind: 'query',
      key: result.queryId,
      tags: ['cast'],
      status: 'succeeded',
      turns: result.numTurns,
      costUsd: result.costUsd,
      firstPrompt: 'Please name three actors',
      cwd: expect.any(String),
      model: expect.any(String),
    });
    expect(sessions[0].tokens.outputTokens).toBe(result.usage.outputTokens);
  });

  it('records a multi-turn session of runtime.session(): first prompt, turns, cost, closed', async () => {
    const store = openSqliteStore(join(dir, 'store.db'));
    const runtime = createRuntime({ defaults: sim.env.options, store });
    sim.env.simulator.on('first turn', { kind: 'text', text: 'one' });
    sim.env.simulator.on('second turn', { kind: 'text', text: 'two' });
    const session = runtime.session();
    await session.send('This is the first turn').result;
    const last = await session.send('and the second turn').result;
    await session.close();
    await runtime.stop();
    const record = await runtime.sessions.get(session.sessionId!);
    await store.close();
    expect(record).toMatchObject({
      id: session.sessionId,
      kind: 'session',
      key: session.key,
      status: 'closed',
      turns: 2,
      costUsd: last.totalCostUsd,
      firstPrompt: 'This is the first turn',
    });
    expect(record?.tokens.outputTokens).toBeGreaterThan(0);
  });
});
