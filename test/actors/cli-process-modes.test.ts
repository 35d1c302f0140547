import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnyActorRef, assign, createActor, setup } from 'xstate';
import { fromCliProcess } from '../../src/actors/cli-process-actor.js';
import type {
  ClaudeProcessDependencies,
  CliProcessCommand,
  CliProcessEvent,
  CliProcessInput,
} from '../../src/actors/cli-process-types.js';
import { createLogger } from '../../src/core/logging/create-logger.js';
import type { ReleasableProcess } from '../../src/process/pool/pooled-process.js';
import type {
  ClaudeProcess,
  ExitInfo,
  SpawnClaudeOptions,
} from '../../src/process/spawn/spawn-claude.js';
import { userMessage } from '../../src/protocol/host-message-builders.js';
import { scriptedSpawn } from '../helpers/scripted-spawn.js';

/** A CLI the test drives by hand, recording what the actor did to it. */
function manualProcess(options: SpawnClaudeOptions, extra: { reusable?: boolean } = {}) {
  let settle!: (exit: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => {
    settle = resolve;
  });
  const calls: string[] = [];
  const written: string[] = [];
  const released: { usedTools: boolean }[] = [];
  const exit = (info: Partial<ExitInfo> = {}): void =>
    settle({ exitCode: 0, signal: undefined, stderrTail: '', ...info });
  const proc: ClaudeProcess = {
    pid: 4242,
    exited,
    write: (line) => {
      written.push(line);
      return true;
    },
    closeInput: () => calls.push('closeInput'),
    terminate: (graceMs) => {
      calls.push(`terminate(${graceMs})`);
      exit({ exitCode: undefined, signal: 'SIGTERM' });
      return exited;
    },
    stop: (graceMs) => {
      calls.push(`stop(${graceMs})`);
      exit();
      return exited;
    },
    kill: () => {
      calls.push('kill');
      exit({ exitCode: undefined, signal: 'SIGKILL' });
    },
    stderrTail: () => '',
  };
  const pooled: ReleasableProcess | undefined =
    extra.reusable === undefined
      ? undefined
      : {
          ...proc,
          reusable: extra.reusable,
          release: (info) => {
            released.push(info);
          },
        };
  const emit = (value: unknown): void =>
    options.onStdout(Buffer.from(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`));
  return { proc: pooled ?? proc, calls, written, released, exit, emit };
}

type Manual = ReturnType<typeof manualProcess>;

/** One manual CLI per spawn, and what the spawn was given. */
function manualSpawn(extra: { reusable?: boolean } = {}) {
  const spawned: Manual[] = [];
  const options: SpawnClaudeOptions[] = [];
  const spawn = (spawnOptions: SpawnClaudeOptions): ClaudeProcess => {
    options.push(spawnOptions);
    const manual = manualProcess(spawnOptions, extra);
    spawned.push(manual);
    return manual.proc;
  };
  return { spawn, spawned, options };
}

/** A parent that runs the actor with `input` and records every event it sends back. */
function runActor(input: CliProcessInput, deps: ClaudeProcessDependencies) {
  const parent = setup({
    types: { context: {} as { events: CliProcessEvent[]; error: unknown } },
    actors: { cli: fromCliProcess(deps) },
  }).createMachine({
    context: { events: [], error: undefined },
    invoke: {
      id: 'cli',
      src: 'cli',
      input,
      onError: { actions: assign({ error: ({ event }) => event.error }) },
    },
    on: {
      '*': {
        actions: assign({
          events: ({ context, event }) => [...context.events, event as CliProcessEvent],
        }),
      },
    },
  });
  const actor = createActor(parent).start();
  const child = () => actor.getSnapshot().children.cli as AnyActorRef | undefined;
  return {
    actor,
    events: () => actor.getSnapshot().context.events,
    types: () => actor.getSnapshot().context.events.map((e) => e.type),
    error: () => actor.getSnapshot().context.error,
    command: (command: CliProcessCommand) => child()?.send(command),
    /** Stops the process actor, as a parent leaving its state does. */
    stopChild: () => actor.stop(),
  };
}

const spawnOptions = () => ({ executable: '/bin/claude', args: ['-p'], env: { HOME: '/h' } });

const queryInput = (overrides: Partial<CliProcessInput> = {}): CliProcessInput => ({
  spawnOptions,
  messages: [userMessage('hello')],
  stdin: 'afterMessages',
  maxLineBytes: 1_000,
  killGraceMs: 250,
  logBindings: { queryId: 'q1', attempt: 1 },
  ...overrides,
});

const sessionInput = (overrides: Partial<CliProcessInput> = {}): CliProcessInput => ({
  spawnOptions,
  messages: [],
  stdin: 'open',
  maxLineBytes: 1_000,
  killGraceMs: 250,
  logBindings: { sessionKey: 's1' },
  ...overrides,
});

const init = { type: 'system', subtype: 'init', session_id: 'sess-1', tools: [], model: 'm' };
const result = {
  type: 'result',
  subtype: 'success',
  is_error: false,
  result: 'done',
  session_id: 'sess-1',
  total_cost_usd: 0.01,
  num_turns: 1,
  duration_ms: 5,
  usage: { input_tokens: 1, output_tokens: 1 },
};
const toolUse = {
  type: 'assistant',
  session_id: 'sess-1',
  parent_tool_use_id: null,
  message: {
    role: 'assistant',
    content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: 'x' } }],
  },
};

/** Lets promise callbacks (the exit) run; no timer is involved. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('fromCliProcess for a query (stdin closes at the result)', () => {
  it('spawns with the options the caller built from its host environment', () => {
    const { spawn, options } = manualSpawn();
    const built = vi.fn(spawnOptions);
    runActor(queryInput({ spawnOptions: built }), { spawn, parentEnv: { ONLY: 'this' } });
    expect(built).toHaveBeenCalledWith({ ONLY: 'this' });
    expect(options[0]).toMatchObject({
      executable: '/bin/claude',
      args: ['-p'],
      env: { HOME: '/h' },
    });
    expect(options[0]?.onStdout).toBeTypeOf('function');
  });

  it('writes its messages, closes stdin, and reports spawn, messages and exit in order', async () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(queryInput(), { spawn });
    const cli = spawned[0]!;
    expect(cli.written.map((line) => JSON.parse(line))).toEqual([userMessage('hello')]);
    expect(cli.calls).toEqual(['closeInput']);
    cli.emit(init);
    cli.emit(result);
    cli.exit();
    await flush();
    expect(run.types()).toEqual([
      'claude.spawned',
      'claude.message',
      'claude.message',
      'claude.exited',
    ]);
    expect(run.events()[0]).toEqual({ type: 'claude.spawned', pid: 4242 });
    // Closed again at the result: harmless for a closed stdin, needed for `untilResult`.
    expect(cli.calls).toEqual(['closeInput', 'closeInput']);
  });

  it('keeps stdin open until the result in untilResult mode', () => {
    const { spawn, spawned } = manualSpawn();
    runActor(queryInput({ stdin: 'untilResult' }), { spawn });
    const cli = spawned[0]!;
    expect(cli.calls).toEqual([]);
    cli.emit(init);
    expect(cli.calls).toEqual([]);
    cli.emit(result);
    expect(cli.calls).toEqual(['closeInput']);
  });

  it('terminates the CLI when stopped before the result', () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(queryInput(), { spawn });
    run.stopChild();
    expect(spawned[0]!.calls).toEqual(['closeInput', 'terminate(250)']);
  });

  it('lets the CLI exit by itself when stopped after the result', () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(queryInput(), { spawn });
    spawned[0]!.emit(result);
    run.stopChild();
    expect(spawned[0]!.calls).toEqual(['closeInput', 'closeInput', 'stop(250)']);
  });

  it('releases a reusable pooled process at the result instead of closing it', () => {
    const { spawn, spawned } = manualSpawn({ reusable: true });
    runActor(queryInput(), { spawn });
    const cli = spawned[0]!;
    expect(cli.calls).toEqual([]);
    cli.emit(toolUse);
    cli.emit(result);
    expect(cli.released).toEqual([{ usedTools: true }]);
    expect(cli.calls).toEqual([]);
  });

  it('closes a pooled process that may not be reused, as any other', () => {
    const { spawn, spawned } = manualSpawn({ reusable: false });
    runActor(queryInput(), { spawn });
    spawned[0]!.emit(result);
    expect(spawned[0]!.released).toEqual([]);
    expect(spawned[0]!.calls).toEqual(['closeInput', 'closeInput']);
  });

  it('errors, killing the CLI, when a message does not match the host schema', () => {
    const { spawn, spawned } = manualSpawn();
    const bad = { type: 'user', message: { role: 'user', content: [{ text: 'no type' }] } };
    const run = runActor(queryInput({ messages: [bad as never] }), { spawn });
    expect(run.error()).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(String((run.error() as Error).message)).toContain('host message');
    expect(spawned[0]!.written).toEqual([]);
    expect(spawned[0]!.calls).toContain('kill');
  });

  it('errors without spawning when its spawn options cannot be built', () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(
      queryInput({
        spawnOptions: () => {
          throw new Error('no claude executable');
        },
      }),
      { spawn },
    );
    expect((run.error() as Error).message).toBe('no claude executable');
    expect(spawned).toEqual([]);
  });

  it('turns an over-long line into a protocol error and carries on decoding', () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(queryInput({ maxLineBytes: 120 }), { spawn });
    spawned[0]!.emit('x'.repeat(200));
    spawned[0]!.emit(init);
    expect(run.types()).toEqual(['claude.spawned', 'claude.protocol_error', 'claude.message']);
    expect(run.events()[1]).toMatchObject({ error: { reason: 'line_too_long' } });
  });

  it('kills the CLI, reports claude.failed and ignores further output when handling it throws', async () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(queryInput(), { spawn });
    const cli = spawned[0]!;
    // The close at the result runs on the stdout stream's stack: the throw must not escape.
    cli.proc.closeInput = () => {
      throw new Error('listener exploded');
    };
    cli.emit(result);
    cli.emit(init);
    await flush();
    expect(run.types()).toEqual(['claude.spawned', 'claude.failed', 'claude.exited']);
    expect((run.events()[1] as { error: Error }).error.message).toBe(
      'the host failed while handling its output (pid 4242, killed): listener exploded',
    );
    expect(cli.calls).toEqual(['closeInput', 'kill']);
  });

  it('works with the scripted CLI from end to end', async () => {
    vi.useFakeTimers();
    try {
      const { spawn } = scriptedSpawn(() => ({ text: 'scripted' }));
      const run = runActor(queryInput(), { spawn });
      await vi.runAllTimersAsync();
      expect(run.types()).toEqual([
        'claude.spawned',
        'claude.message',
        'claude.message',
        'claude.exited',
      ]);
      expect(run.events()[2]).toMatchObject({ message: { type: 'result', result: 'scripted' } });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('fromCliProcess for a session (stdin stays open)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes nothing by itself and never closes stdin at a result', () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(sessionInput(), { spawn });
    const cli = spawned[0]!;
    cli.emit(init);
    cli.emit(result);
    cli.emit(result);
    expect(cli.written).toEqual([]);
    expect(cli.calls).toEqual([]);
    expect(run.types()).toEqual([
      'claude.spawned',
      'claude.message',
      'claude.message',
      'claude.message',
    ]);
  });

  it('carries out write, closeInput and kill commands', () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(sessionInput(), { spawn });
    run.command({ type: 'WRITE', line: 'one\n' });
    run.command({ type: 'WRITE', line: 'two\n' });
    run.command({ type: 'CLOSE_INPUT' });
    run.command({ type: 'KILL' });
    expect(spawned[0]!.written).toEqual(['one\n', 'two\n']);
    expect(spawned[0]!.calls).toEqual(['closeInput', 'kill']);
  });

  it('terminates the CLI when stopped, even after a result', () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(sessionInput(), { spawn });
    spawned[0]!.emit(result);
    run.stopChild();
    expect(spawned[0]!.calls).toEqual(['terminate(250)']);
  });

  it('kills the CLI and reports claude.failed, then the exit, when a command throws', async () => {
    const { spawn, spawned } = manualSpawn();
    const run = runActor(sessionInput(), { spawn });
    spawned[0]!.proc.write = () => {
      throw new Error('stdin exploded');
    };
    run.command({ type: 'WRITE', line: 'x\n' });
    await vi.runAllTimersAsync();
    expect(spawned[0]!.calls).toEqual(['kill']);
    expect(run.types()).toEqual(['claude.spawned', 'claude.failed', 'claude.exited']);
    const failed = run.events()[1] as { error: Error };
    expect(failed.error.message).toContain('stdin exploded');
    expect(failed.error.message).toContain('pid 4242, killed');
  });

  it('logs with its bindings and never writes a secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'debug' }, sink);
    const { spawn, spawned } = manualSpawn();
    const run = runActor(
      sessionInput({
        spawnOptions: () => ({ ...spawnOptions(), env: { ANTHROPIC_API_KEY: 'sk-ant-secret-1' } }),
      }),
      { spawn, logger },
    );
    spawned[0]!.proc.write = () => {
      throw new Error('failed writing with key sk-ant-api03-abcdefghijklmnopqrstuvwxyz');
    };
    run.command({ type: 'WRITE', line: 'x\n' });
    await vi.runAllTimersAsync();
    const text = lines.join('');
    expect(text).toContain('"sessionKey":"s1"');
    expect(text).toContain('WRITE threw; killing the CLI');
    expect(text).not.toContain('sk-ant-api03-abcdefghijklmnopqrstuvwxyz');
    expect(text).not.toContain('sk-ant-secret-1');
  });
});
