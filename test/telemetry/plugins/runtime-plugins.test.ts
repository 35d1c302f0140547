import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliMessage } from '../../../src/protocol/cli-message.js';
import { createRuntime, type Runtime } from '../../../src/runtime/create-runtime.js';
import type {
  PluginErrorEvent,
  RuntimePlugin,
} from '../../../src/telemetry/plugins/runtime-plugin.js';
import { scriptedSpawn } from '../../helpers/scripted-spawn.js';
import { settle } from '../../orchestration/patterns/harness.js';

describe('runtime plugins (fake CLI, fake timers)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function runtimeWith(
    plugins: RuntimePlugin[],
    reply = (_p: string, _c: number, { n }: { n: number }) =>
      n === 1 && _p.includes('flaky') ? { apiErrorStatus: 529, delayMs: 10 } : { delayMs: 10 },
  ) {
    const { spawn, state } = scriptedSpawn(reply);
    const runtime = createRuntime({
      defaults: {
        executable: process.execPath,
        retry: { maxAttempts: 2, initialDelayMs: 100, jitter: 0 },
      },
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

  it('runs beforeQuery in order, each seeing the previous change', async () => {
    const seen: string[] = [];
    const { runtime, state } = runtimeWith([
      { name: 'first', beforeQuery: ({ prompt }) => ({ prompt: `[1] ${String(prompt)}` }) },
      {
        name: 'second',
        beforeQuery: ({ prompt, options }) => {
          seen.push(String(prompt));
          return { prompt: `[2] ${String(prompt)}`, options: { ...options, maxTurns: 2 } };
        },
      },
    ]);
    const result = await settle(runtime.query('hello').result);
    expect(result.status).toBe('succeeded');
    expect(seen).toEqual(['[1] hello']);
    expect(state.prompts).toEqual(['[2] [1] hello']);
    await stop(runtime);
  });

  it('fails a refused query with PLUGIN_REFUSED, without starting a CLI or later plugins', async () => {
    const later = vi.fn();
    const afterQuery = vi.fn();
    const { runtime, state } = runtimeWith([
      { name: 'policy', beforeQuery: () => ({ refuse: 'no deletions' }), afterQuery },
      { name: 'later', beforeQuery: later },
    ]);
    const result = await settle(runtime.query('rm -rf /', {}, { queryId: 'q-refused' }).result);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'PLUGIN_REFUSED',
      plugin: 'policy',
      reason: 'no deletions',
      queryId: 'q-refused',
    });
    expect(result.error?.message).toBe('Plugin "policy" refused query q-refused: no deletions');
    expect(state.calls).toHaveLength(0);
    expect(later).not.toHaveBeenCalled();
    expect(afterQuery).toHaveBeenCalledWith(result, { queryId: 'q-refused', tags: [] });
    expect(runtime.stats().total.failed).toBe(1);
    await stop(runtime);
  });

  it('isolates a throwing or rejecting hook: reported, counted, and the query goes on', async () => {
    const { runtime, errors } = runtimeWith([
      {
        name: 'broken',
        beforeQuery: () => {
          throw new Error('before boom');
        },
        onMessage: () => {
          throw new Error('message boom');
        },
        afterQuery: () => Promise.reject(new Error('after boom')),
      },
    ]);
    const result = await settle(runtime.query('q', {}, { queryId: 'q1' }).result);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.status).toBe('succeeded');
    const hooks = errors.map((e) => `${e.plugin}.${e.hook}:${(e.error as Error).message}`);
    expect(hooks[0]).toBe('broken.beforeQuery:before boom');
    expect(hooks).toContain('broken.onMessage:message boom');
    expect(hooks.at(-1)).toBe('broken.afterQuery:after boom');
    expect(errors.every((e) => e.queryId === 'q1')).toBe(true);
    await stop(runtime);
  });

  it('drops a change that makes the options invalid, as that plugin’s error', async () => {
    const { runtime, state, errors } = runtimeWith([
      { name: 'bad', beforeQuery: () => ({ prompt: 'changed', options: { maxTurns: -1 } }) },
    ]);
    const result = await settle(runtime.query('original').result);
    expect(result.status).toBe('succeeded');
    expect(state.prompts).toEqual(['original']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ plugin: 'bad', hook: 'beforeQuery' });
    expect(String((errors[0]?.error as Error).message)).toContain('maxTurns');
    await stop(runtime);
  });

  it('calls onMessage for each message, onRetry for a retry, afterQuery once with the result', async () => {
    const messages: string[] = [];
    const retries: unknown[] = [];
    const afterQuery = vi.fn();
    const { runtime } = runtimeWith([
      {
        name: 'watch',
        onMessage: (message: CliMessage, { attempt }) =>
          messages.push(`${attempt}:${message.type}`),
        onRetry: (retry) => {
          retries.push({ attempt: retry.attempt, delayMs: retry.delayMs, code: retry.error.code });
        },
        afterQuery,
      },
    ]);
    const result = await settle(runtime.query('flaky', {}, { tags: ['t'] }).result);
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(messages).toEqual(['1:system', '1:result', '2:system', '2:result']);
    expect(retries).toEqual([{ attempt: 1, delayMs: 100, code: 'API_ERROR' }]);
    expect(afterQuery).toHaveBeenCalledTimes(1);
    expect(afterQuery).toHaveBeenCalledWith(result, { queryId: result.queryId, tags: ['t'] });
    await stop(runtime);
  });

  it('keeps a class-instance plugin as it is: its methods run with `this`', async () => {
    class Counter implements RuntimePlugin {
      readonly name = 'counter';
      settled = 0;
      afterQuery(): void {
        this.settled += 1;
      }
    }
    const plugin = new Counter();
    const { runtime, errors } = runtimeWith([plugin]);
    await settle(runtime.query('a').result);
    expect(plugin.settled).toBe(1);
    expect(errors).toEqual([]);
    await stop(runtime);
  });

  it.each([
    [[{}], 'plugins[0].name'],
    [[{ name: 'x', beforeQuery: 'nope' }], 'plugins[0].beforeQuery'],
    ['not a list', 'plugins'],
  ])('refuses invalid plugins %j naming %s', (plugins, path) => {
    expect(() => createRuntime({ plugins: plugins as never })).toThrow(path);
  });
});
