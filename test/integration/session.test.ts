import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { HookCallback } from '../../src/machines/control/control-options.js';
import { createSession } from '../../src/machines/session/create-session.js';
import type { SessionLifecycleEvent } from '../../src/machines/session/session.js';
import type { SessionOptions } from '../../src/machines/session/session-options.js';
import type { CliMessage } from '../../src/protocol/cli-message.js';
import { useSimulator } from '../helpers/integration.js';

const sim = useSimulator();
const opts = (extra: SessionOptions = {}): SessionOptions => ({ ...sim.env.options, ...extra });
const bodyText = (i: number): string =>
  JSON.stringify((sim.env.simulator.requests[i]?.body as { messages: unknown[] }).messages);
const afterToolResult = { kind: 'text', text: 'tool round done' } as const;

describe('a session running the real CLI against the simulator', () => {
  it('keeps the context of a multi-turn conversation, with the cost of each turn', async () => {
    const usage = { inputTokens: 100, outputTokens: 10 };
    sim.env.simulator.on('first question', { kind: 'text', text: 'first answer', usage });
    sim.env.simulator.on('second question', { kind: 'text', text: 'second answer', usage });
    const session = createSession(opts());
    expect(session.sessionId).toBeUndefined();
    const first = await lastValueFrom(session.send('first question').pipe(toArray()));
    expect(first.map((m) => m.type)).toEqual(['system', 'assistant', 'result']);
    expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const second = await session.send('second question').result;
    expect(second.result.result).toBe('second answer');
    // The CLI's total_cost_usd is cumulative per process; the session splits it per turn.
    expect(second.turnCostUsd).toBeGreaterThan(0);
    expect(second.totalCostUsd).toBeCloseTo(second.result.total_cost_usd ?? 0, 10);
    expect(second.totalCostUsd).toBeCloseTo(2 * second.turnCostUsd, 10);
    const output = await session.close();
    expect(output).toMatchObject({ status: 'closed', reason: 'closed', turns: 2 });
    expect(sim.env.simulator.requests.map((r) => r.prompt)).toEqual([
      'first question',
      'second question',
    ]);
    expect(bodyText(1)).toContain('first question');
    expect(bodyText(1)).toContain('first answer');
  });

  it('queues turns sent while one streams, each getting exactly its own messages', async () => {
    sim.env.simulator.on('slow one', {
      kind: 'text',
      text: 'one!',
      chunkSize: 1,
      chunkDelayMs: 60,
    });
    sim.env.simulator.on('quick two', { kind: 'text', text: 'two!' });
    sim.env.simulator.on('quick three', { kind: 'text', text: 'three!' });
    const session = createSession(opts());
    const turns = ['slow one', 'quick two', 'quick three'].map((p) => session.send(p));
    const texts = await Promise.all(
      turns.map((t) =>
        lastValueFrom(t.pipe(toArray())).then((ms) =>
          ms.flatMap((m) => (m.type === 'result' ? [m.result] : [])),
        ),
      ),
    );
    expect(texts).toEqual([['one!'], ['two!'], ['three!']]);
    expect(sim.env.simulator.requests.map((r) => r.prompt)).toEqual([
      'slow one',
      'quick two',
      'quick three',
    ]);
    await session.close();
  });

  it('answers an Observable of user messages piped in, and closes when it completes', async () => {
    sim.env.simulator.on(/^piped/, { kind: 'text', text: 'ack' });
    const session = createSession(opts());
    const results = firstValueFrom(
      session.messages$.pipe(
        filter((m) => m.type === 'result'),
        toArray(),
      ),
    );
    from(['piped 1', 'piped 2', 'piped 3']).subscribe(session.input);
    const output = await session.closed;
    expect(output).toMatchObject({ status: 'closed', turns: 3 });
    expect(await results).toHaveLength(3);
    expect(sim.env.simulator.requests.map((r) => r.prompt)).toEqual([
      'piped 1',
      'piped 2',
      'piped 3',
    ]);
  });

  it('streams partial messages and interrupts a turn mid-stream', async () => {
    sim.env.simulator.on('long story', {
      kind: 'text',
      text: 'abcdefghijklmnopqrstuvwxyz',
      chunkSize: 1,
      chunkDelayMs: 80,
    });
    sim.env.simulator.on('after interrupt', { kind: 'text', text: 'still here' });
    const session = createSession(opts({ includePartialMessages: true }));
    const turn = session.send('long story');
    const messages = lastValueFrom(turn.pipe(toArray()));
    await firstValueFrom(
      turn.pipe(
        filter(
          (m) =>
            m.type === 'stream_event' &&
            (m.event as { delta?: { type?: string } }).delta?.type === 'text_delta',
        ),
      ),
    );
    await session.interrupt();
    const result = await turn.result;
    expect(result.interrupted).toBe(true);
    expect(result.result).toMatchObject({
      subtype: 'error_during_execution',
      is_error: true,
      terminal_reason: 'aborted_streaming',
    });
    const interruptedNotice = (await messages).find(
      (m) => m.type === 'user' && JSON.stringify(m).includes('[Request interrupted by user]'),
    );
    expect(interruptedNotice).toBeDefined();
    // The session goes on after an interrupt.
    expect((await session.send('after interrupt').result).result.result).toBe('still here');
    await session.close();
  });

  it('switches the model of the next requests with setModel', async () => {
    sim.env.simulator.on('before switch', { kind: 'text', text: 'opus here' });
    sim.env.simulator.on('after switch', { kind: 'text', text: 'haiku here' });
    const session = createSession(opts());
    await session.send('before switch').result;
    await session.setModel('claude-haiku-5-5');
    await session.send('after switch').result;
    await session.close();
    const requests = sim.env.simulator.requests;
    expect(requests.find((r) => r.prompt === 'before switch')?.model).not.toBe('claude-haiku-5-5');
    expect(requests.find((r) => r.prompt === 'after switch')?.model).toBe('claude-haiku-5-5');
  });

  it('allows, denies and modifies tool calls through canUseTool, with Pre/PostToolUse hooks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-tools-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string): string => join(dir, name);
    for (const name of ['allowed', 'denied', 'modified']) {
      sim.env.simulator.on(`write ${name}`, {
        kind: 'tool_use',
        name: 'Write',
        input: { file_path: file(`${name}.txt`), content: 'original' },
      });
    }
    sim.env.simulator.on((r) => r.hasToolResult, afterToolResult);
    const asked: { tool: string; toolUseId: string | undefined }[] = [];
    const hookCalls: string[] = [];
    const hook: HookCallback = async (input) => {
      hookCalls.push(`${input.hook_event_name}:${input.tool_name}`);
      return {};
    };
    const session = createSession(
      opts({
        cwd: dir,
        canUseTool: async (tool, input, { toolUseId }) => {
          asked.push({ tool, toolUseId });
          const path = String(input.file_path);
          if (path.endsWith('denied.txt')) return { behavior: 'deny', message: 'not this file' };
          if (path.endsWith('modified.txt')) {
            return { behavior: 'allow', updatedInput: { ...input, content: 'changed by host' } };
          }
          return { behavior: 'allow' };
        },
        hooks: {
          PreToolUse: [{ matcher: 'Write', hooks: [hook] }],
          PostToolUse: [{ hooks: [hook] }],
        },
      }),
    );
    for (const name of ['allowed', 'denied', 'modified']) {
      expect((await session.send(`write ${name}`).result).result.is_error).toBe(false);
    }
    await session.close();
    expect(asked).toHaveLength(3);
    expect(asked[0]).toMatchObject({ tool: 'Write', toolUseId: expect.stringMatching(/^toolu_/) });
    expect(readFileSync(file('allowed.txt'), 'utf8')).toBe('original');
    expect(existsSync(file('denied.txt'))).toBe(false);
    expect(readFileSync(file('modified.txt'), 'utf8')).toBe('changed by host');
    const toolResults = sim.env.simulator.requests.filter((r) => r.hasToolResult);
    expect(toolResults.map((r) => r.toolResults[0]?.isError)).toEqual([false, true, false]);
    expect(toolResults[1]?.toolResults[0]?.content).toBe('not this file');
    // PreToolUse runs before the permission prompt; PostToolUse only for tools that ran.
    expect(hookCalls).toEqual([
      'PreToolUse:Write',
      'PostToolUse:Write',
      'PreToolUse:Write',
      'PreToolUse:Write',
      'PostToolUse:Write',
    ]);
  });

  it('denies a tool call when canUseTool throws or hangs past its timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-tools-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    for (const name of ['throws', 'hangs']) {
      sim.env.simulator.on(`write ${name}`, {
        kind: 'tool_use',
        name: 'Write',
        input: { file_path: join(dir, `${name}.txt`), content: 'x' },
      });
    }
    sim.env.simulator.on((r) => r.hasToolResult, afterToolResult);
    let aborted = false;
    const session = createSession(
      opts({
        cwd: dir,
        callbackTimeoutMs: 500,
        canUseTool: (_tool, input, { signal }) => {
          if (String(input.file_path).endsWith('throws.txt')) throw new Error('callback exploded');
          signal.addEventListener('abort', () => {
            aborted = true;
          });
          return new Promise(() => {});
        },
      }),
    );
    const failures: SessionLifecycleEvent[] = [];
    session.lifecycle$.subscribe((e) => e.type === 'session.callback_failed' && failures.push(e));
    await session.send('write throws').result;
    await session.send('write hangs').result;
    await session.close();
    const toolResults = sim.env.simulator.requests
      .filter((r) => r.hasToolResult)
      .map((r) => r.toolResults[0]);
    expect(toolResults[0]).toMatchObject({ isError: true });
    expect(toolResults[0]?.content).toMatch(/Permission denied: .*threw: callback exploded/);
    expect(toolResults[1]).toMatchObject({ isError: true });
    expect(toolResults[1]?.content).toMatch(/did not answer within 500 ms/);
    expect(aborted).toBe(true);
    expect(failures.map((e) => (e as { error: { code: string } }).error.code)).toEqual([
      'CALLBACK_FAILED',
      'CALLBACK_FAILED',
    ]);
    expect(existsSync(join(dir, 'throws.txt')) || existsSync(join(dir, 'hangs.txt'))).toBe(false);
  });

  it('resumes a closed session by id: the CLI sends the earlier messages again', async () => {
    sim.env.simulator.on('remember 42', { kind: 'text', text: 'noted: 42' });
    sim.env.simulator.on('what number', { kind: 'text', text: 'it was 42' });
    const first = createSession(opts());
    await first.send('remember 42').result;
    const sessionId = first.sessionId;
    await first.close();
    expect(sessionId).toBeDefined();

    const resumed = createSession(opts({ resume: sessionId }));
    expect(resumed.sessionId).toBe(sessionId);
    const messages: CliMessage[] = [];
    resumed.messages$.subscribe((m) => messages.push(m));
    const answer = await resumed.send('what number').result;
    expect(answer.result.result).toBe('it was 42');
    // A resumed CLI counts its cost from zero: the CLI's total is per process, not per session.
    expect(answer.totalCostUsd).toBeCloseTo(answer.turnCostUsd, 10);
    expect(answer.result.total_cost_usd).toBeCloseTo(answer.turnCostUsd, 10);
    expect(resumed.sessionId).toBe(sessionId);
    await resumed.close();
    const last = sim.env.simulator.requests.at(-1);
    expect(last?.prompt).toBe('what number');
    expect(JSON.stringify((last?.body as { messages: unknown[] }).messages)).toContain('noted: 42');
  });

  it("sends every kind of control request and returns the CLI's answers", async () => {
    sim.env.simulator.on('warm up', { kind: 'text', text: 'ready' });
    const session = createSession(opts());
    await session.send('warm up').result;
    expect(await session.setPermissionMode('plan')).toBe('plan');
    // The CLI refuses bypass mode for a session not launched with it; its reason comes through.
    await expect(session.setPermissionMode('bypassPermissions')).rejects.toMatchObject({
      code: 'CONTROL_REQUEST_FAILED',
      subtype: 'set_permission_mode',
      message: expect.stringMatching(/bypassPermissions/),
    });
    const usage = await session.getContextUsage();
    expect(Array.isArray(usage.categories)).toBe(true);
    expect(await session.getSettings()).toHaveProperty('applied');
    expect(await session.mcpServerStatus()).toEqual([]);
    await session.setMaxThinkingTokens(2_000);
    await session.renameSession('control requests');
    expect(await session.rewindFiles('no-such-message', { dryRun: true })).toMatchObject({
      canRewind: false,
    });
    await expect(session.toggleMcpServer('missing', false)).rejects.toMatchObject({
      message: expect.stringMatching(/Server not found: missing/),
    });
    // A subtype without a named method, and one the CLI does not know.
    const cost = await session.request('get_usage');
    expect(cost).toHaveProperty('session.total_cost_usd');
    await expect(session.request('not_a_request_subtype')).rejects.toMatchObject({
      code: 'CONTROL_REQUEST_FAILED',
      errorCode: 'unsupported_request',
    });
    await expect(session.request('stop_task', { task_id: 3 })).rejects.toThrow(/`task_id`/);
    // The session goes on after all of that.
    sim.env.simulator.on('still there', { kind: 'text', text: 'yes' });
    expect((await session.send('still there').result).result.result).toBe('yes');
    await session.close();
  });
});
