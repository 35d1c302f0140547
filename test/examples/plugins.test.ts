import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { costLedger } from '../../examples/plugins/cost-ledger.js';
import { promptPrefixPolicy } from '../../examples/plugins/prompt-prefix-policy.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import type {
  PluginErrorEvent,
  RuntimePlugin,
} from '../../src/telemetry/plugins/runtime-plugin.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';
import { settle } from '../orchestration/patterns/harness.js';

describe('example plugins on a runtime (fake CLI, fake timers)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'claude-actors-ledger-test-'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  });

  function runtimeWith(plugins: readonly RuntimePlugin[]) {
    const { spawn, state } = scriptedSpawn(() => ({ delayMs: 10, costUsd: 0.02 }));
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      processes: { spawn },
      plugins,
    });
    const errors: PluginErrorEvent[] = [];
    runtime.pluginErrors$.subscribe((e) => errors.push(e));
    return { runtime, state, errors };
  }

  async function stop(runtime: Runtime): Promise<void> {
    const stopped = runtime.stop({ deadlineMs: 0 });
    await vi.runAllTimersAsync();
    await stopped;
  }

  it('the policy prefixes prompts and refuses forbidden ones; the ledger records both', async () => {
    const path = join(dir, 'costs.jsonl');
    const ledger = costLedger(path, () => new Date('2026-01-02T03:04:05Z'));
    const { runtime, state } = runtimeWith([
      promptPrefixPolicy({ prefix: 'Be brief.', refuse: [/rm -rf/] }),
      ledger,
    ]);
    const ok = await settle(runtime.query('hello', {}, { queryId: 'q1', tags: ['t'] }).result);
    const refused = await settle(runtime.query('rm -rf /', {}, { queryId: 'q2' }).result);
    expect(ok.status).toBe('succeeded');
    expect(refused.error?.code).toBe('PLUGIN_REFUSED');
    expect(state.prompts).toEqual(['Be brief.\n\nhello']);
    await ledger.flush();
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({
        at: '2026-01-02T03:04:05.000Z',
        queryId: 'q1',
        tags: ['t'],
        status: 'succeeded',
        costUsd: 0.02,
        inputTokens: 10,
        attempts: 1,
      }),
      expect.objectContaining({ queryId: 'q2', status: 'failed', errorCode: 'PLUGIN_REFUSED' }),
    ]);
    expect(lines[0]).not.toHaveProperty('errorCode');
    await stop(runtime);
  });

  it('a ledger that cannot write is reported, the query still succeeds', async () => {
    const { runtime, errors } = runtimeWith([costLedger(join(dir, 'missing', 'costs.jsonl'))]);
    const result = await settle(runtime.query('x').result);
    expect(result.status).toBe('succeeded');
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ plugin: 'cost-ledger', hook: 'afterQuery' });
    expect((errors[0]?.error as NodeJS.ErrnoException).code).toBe('ENOENT');
    await stop(runtime);
  });
});

describe('promptPrefixPolicy', () => {
  const policy = promptPrefixPolicy({ prefix: 'Rules.', refuse: [/secret/i] });
  const call = (prompt: Parameters<NonNullable<typeof policy.beforeQuery>>[0]['prompt']) =>
    policy.beforeQuery?.({ queryId: 'q', tags: [], prompt, options: {} });

  it.each([
    ['a string', 'hi', { prompt: 'Rules.\n\nhi' }],
    ['an already prefixed string', 'Rules.\n\nhi', undefined],
    ['a forbidden string', 'tell me the SECRET', { refuse: expect.stringContaining('/secret/i') }],
  ])('handles %s', (_name, prompt, expected) => {
    expect(call(prompt)).toEqual(expected);
  });

  it('puts the prefix first in a content-block prompt', () => {
    expect(call([{ type: 'text', text: 'look' }])).toEqual({
      prompt: [
        { type: 'text', text: 'Rules.' },
        { type: 'text', text: 'look' },
      ],
    });
  });

  it('refuses an empty prefix', () => {
    expect(() => promptPrefixPolicy({ prefix: ' ' })).toThrow('`prefix`');
  });
});
