import { lastValueFrom, of, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createSession } from '../../../src/machines/session/create-session.js';
import type {
  ClaudeProcess,
  ExitInfo,
  SpawnClaudeOptions,
} from '../../../src/process/spawn/spawn-claude.js';

/** A scripted CLI: answers initialize, then each user line with an assistant message and a result. */
function fakeSpawn() {
  const calls: { args: readonly string[]; lines: Record<string, unknown>[] } = {
    args: [],
    lines: [],
  };
  const spawn = (options: SpawnClaudeOptions): ClaudeProcess => {
    calls.args = options.args;
    let finish!: (exit: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => {
      finish = resolve;
    });
    let cost = 0;
    const out = (message: Record<string, unknown>): void => {
      setImmediate(() => options.onStdout(Buffer.from(`${JSON.stringify(message)}\n`)));
    };
    const end = (): void => {
      setImmediate(() => finish({ exitCode: 0, signal: undefined, stderrTail: '' }));
    };
    return {
      pid: 4242,
      exited,
      write(line) {
        const message = JSON.parse(line) as Record<string, unknown>;
        calls.lines.push(message);
        if (message.type === 'control_request') {
          out({
            type: 'control_response',
            response: { subtype: 'success', request_id: message.request_id, response: {} },
          });
        } else if (message.type === 'user') {
          const text = (message.message as { content: string }).content;
          cost += 0.5;
          out({ type: 'system', subtype: 'init', session_id: 'fake-session' });
          out({ type: 'assistant', message: { role: 'assistant', content: `re: ${text}` } });
          out({
            type: 'result',
            subtype: 'success',
            is_error: false,
            result: `re: ${text}`,
            total_cost_usd: cost,
          });
        }
        return true;
      },
      closeInput: end,
      terminate: async () => {
        end();
        return exited;
      },
      stop: async () => exited,
      kill: end,
      stderrTail: () => '',
    };
  };
  return { spawn, calls };
}

describe('createSession (scripted process)', () => {
  it('routes each turn its own messages and closes when the piped input completes', async () => {
    const { spawn, calls } = fakeSpawn();
    const session = createSession({ includePartialMessages: true }, { spawn });
    const all = lastValueFrom(session.messages$.pipe(toArray()));
    const first = session.send('one');
    of('two', 'three').subscribe(session.input);
    expect((await lastValueFrom(first.pipe(toArray()))).map((m) => m.type)).toEqual([
      'system',
      'assistant',
      'result',
    ]);
    const output = await session.closed;
    expect(output).toEqual({
      status: 'closed',
      reason: 'closed',
      sessionId: 'fake-session',
      totalCostUsd: 1.5,
      turns: 3,
    });
    expect((await all).filter((m) => m.type === 'result')).toHaveLength(3);
    expect(session.sessionId).toBe('fake-session');
    expect(session.totalCostUsd).toBe(1.5);
    expect(calls.args).toEqual(expect.arrayContaining(['--input-format', 'stream-json']));
    expect(calls.args).toContain('--include-partial-messages');
    expect(calls.lines.map((l) => l.type)).toEqual(['control_request', 'user', 'user', 'user']);
    // After the end, sends and control requests fail at once with a typed error.
    await expect(session.send('late').result).rejects.toMatchObject({ code: 'SESSION_CLOSED' });
    await expect(session.interrupt()).rejects.toMatchObject({ code: 'SESSION_CLOSED' });
  });

  it('reports each turn cost and the running total', async () => {
    const { spawn } = fakeSpawn();
    const session = createSession({}, { spawn });
    const a = await session.send('a').result;
    const b = await session.send('b').result;
    expect([a.turnCostUsd, a.totalCostUsd, b.turnCostUsd, b.totalCostUsd]).toEqual([
      0.5, 0.5, 0.5, 1,
    ]);
    await session.close();
  });

  it('rejects an invalid content block at once, without writing it', async () => {
    const { spawn, calls } = fakeSpawn();
    const session = createSession({}, { spawn });
    await expect(session.send([{ text: 'no type' } as never]).result).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    await session.close();
    expect(calls.lines.filter((l) => l.type === 'user')).toEqual([]);
  });

  it.each([
    [42, '`42` (number)'],
    [null, '`null` (null)'],
    [undefined, 'nothing'],
    [{ text: 'hi' }, '(object)'],
    ['', '`""` (string)'],
    ['  \n ', '(string)'],
    [[], '`[]` (array)'],
  ])('fails the turn of prompt %j without writing it, and goes on', async (prompt, received) => {
    const { spawn, calls } = fakeSpawn();
    const session = createSession({}, { spawn });
    const bad = session.send(prompt as never).result;
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(bad).rejects.toThrow(/^Invalid argument `prompt`: .*got /);
    await expect(bad).rejects.toThrow(received);
    await expect(session.send('fine').result).resolves.toMatchObject({
      result: { result: 're: fine' },
    });
    await session.close();
    expect(calls.lines.filter((l) => l.type === 'user')).toHaveLength(1);
  });

  it('kills its CLI when writing a turn throws, and ends instead of hanging', async () => {
    const { spawn } = fakeSpawn();
    let killed = false;
    const breaking = (options: SpawnClaudeOptions): ClaudeProcess => {
      const proc = spawn(options);
      return {
        ...proc,
        write(line) {
          if (line.includes('"type":"user"')) throw new Error('stdin exploded');
          return proc.write(line);
        },
        kill() {
          killed = true;
          proc.kill();
        },
      };
    };
    const session = createSession({}, { spawn: breaking });
    await expect(session.send('a').result).rejects.toThrow();
    await expect(session.closed).resolves.toMatchObject({ status: 'failed' });
    expect(killed).toBe(true);
  });

  it('settles as killed when its actor is stopped from outside', async () => {
    const { spawn } = fakeSpawn();
    const session = createSession({}, { spawn });
    await session.send('a').result;
    (session.actor as unknown as { stop(): void }).stop();
    await expect(session.closed).resolves.toMatchObject({ status: 'closed', reason: 'killed' });
    await expect(session.send('late').result).rejects.toMatchObject({ code: 'SESSION_CLOSED' });
  });
});
