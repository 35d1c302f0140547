import type {
  ClaudeProcess,
  ExitInfo,
  SpawnClaudeOptions,
} from '../../../src/transport/spawn-claude.js';

/** How the scripted CLI answers one prompt. */
export interface ScriptedReply {
  /** @defaultValue `fake: <prompt>` */
  readonly text?: string;
  /** Before the answer (timers: fake timers control it). @defaultValue 0 (next tick) */
  readonly delayMs?: number;
  /** @defaultValue 0.001 */
  readonly costUsd?: number;
  /** Answer with an error result (a permanent `QueryFailedError`). */
  readonly fail?: boolean;
  /** Never answer (until the process is terminated). */
  readonly hang?: boolean;
}

/** One spawned scripted process, as the test sees it. */
export interface ScriptedCall {
  readonly prompt: string;
  readonly cwd: string | undefined;
  readonly startedAt: number;
  endedAt: number | undefined;
}

let nextPid = 2_000_000;

/**
 * A stand-in for `spawnClaude` whose reply depends on the prompt: `script(prompt, n, cwd)`
 * decides (n counts the calls with that prompt, from 1; cwd is the query's working directory). Records every call, and the most processes
 * alive at once.
 */
export function createScriptedSpawn(
  script: (prompt: string, n: number, cwd: string | undefined) => ScriptedReply = () => ({}),
) {
  const calls: ScriptedCall[] = [];
  const perPrompt = new Map<string, number>();
  let live = 0;
  let maxLive = 0;
  const spawn = (options: SpawnClaudeOptions): ClaudeProcess => {
    const pid = nextPid++;
    let settle!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => {
      settle = resolve;
    });
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let call: ScriptedCall | undefined;
    live += 1;
    maxLive = Math.max(maxLive, live);
    // A query is in flight from its spawn until its result is written: a CLI still exiting
    // after that no longer counts against any cap.
    let answered = false;
    const endQuery = (): void => {
      if (answered) return;
      answered = true;
      live -= 1;
      if (call) call.endedAt = Date.now();
    };
    const finish = (info: Partial<ExitInfo> = {}): void => {
      if (done) return;
      done = true;
      endQuery();
      if (timer) clearTimeout(timer);
      settle({ exitCode: 0, signal: undefined, stderrTail: '', ...info });
    };
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    return {
      pid,
      exited,
      write(input) {
        const prompt = JSON.parse(input).message.content as string;
        const n = (perPrompt.get(prompt) ?? 0) + 1;
        perPrompt.set(prompt, n);
        call = { prompt, cwd: options.cwd, startedAt: Date.now(), endedAt: undefined };
        calls.push(call);
        const reply = script(prompt, n, options.cwd);
        if (reply.hang) return true;
        timer = setTimeout(() => {
          const session = `s-${pid}`;
          endQuery();
          options.onStdout(
            Buffer.from(
              line({
                type: 'system',
                subtype: 'init',
                session_id: session,
                tools: [],
                model: 'x',
              }) +
                line({
                  type: 'result',
                  subtype: reply.fail ? 'error_during_execution' : 'success',
                  is_error: reply.fail === true,
                  result: reply.text ?? `fake: ${prompt}`,
                  session_id: session,
                  total_cost_usd: reply.costUsd ?? 0.001,
                  num_turns: 1,
                  duration_ms: reply.delayMs ?? 0,
                  duration_api_ms: 1,
                  usage: { input_tokens: 1, output_tokens: 1 },
                }),
            ),
          );
          setImmediate(() => finish());
        }, reply.delayMs ?? 0);
        return true;
      },
      closeInput() {},
      terminate() {
        finish({ exitCode: undefined, signal: 'SIGTERM' });
        return exited;
      },
      stop() {
        return exited;
      },
      kill() {
        finish({ exitCode: undefined, signal: 'SIGKILL' });
      },
      stderrTail: () => '',
    };
  };
  return {
    spawn,
    calls,
    /** The most queries in flight at once (spawned and not yet answered). */
    maxConcurrent: () => maxLive,
    /** Processes alive now. */
    live: () => live,
  };
}
