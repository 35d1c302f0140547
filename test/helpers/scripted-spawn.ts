import type {
  ClaudeProcess,
  ExitInfo,
  SpawnClaudeOptions,
} from '../../src/transport/spawn-claude.js';

/** How the fake CLI answers one prompt. */
export interface ScriptedReply {
  readonly text?: string;
  /** Fail as the API would, e.g. 529 (retryable) or 400 (not). */
  readonly apiErrorStatus?: number;
  /** Time before the answer, on whatever timers are in use. */
  readonly delayMs?: number;
  readonly costUsd?: number;
}

/**
 * A fake `spawn` for pattern tests: each prompt is answered by `reply(prompt, call)` after its
 * delay; counts queries in flight at once (spawned, not yet answered). No CLI runs; the real CLI has its own tests.
 */
export function scriptedSpawn(reply: (prompt: string, call: number) => ScriptedReply) {
  let nextPid = 2_000_000;
  let calls = 0;
  const state = { live: 0, maxLive: 0, prompts: [] as string[] };
  const spawn = (options: SpawnClaudeOptions): ClaudeProcess => {
    const pid = nextPid++;
    let settle!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => {
      settle = resolve;
    });
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    state.live += 1;
    state.maxLive = Math.max(state.maxLive, state.live);
    // In flight from spawn until the result is written: a CLI still exiting after its result
    // no longer counts against any cap.
    let answered = false;
    const endQuery = (): void => {
      if (answered) return;
      answered = true;
      state.live -= 1;
    };
    const finish = (info: Partial<ExitInfo> = {}): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      endQuery();
      settle({ exitCode: 0, signal: undefined, stderrTail: '', ...info });
    };
    return {
      pid,
      exited,
      write(line) {
        const prompt = JSON.parse(line).message.content as string;
        state.prompts.push(prompt);
        const r = reply(prompt, calls++);
        timer = setTimeout(() => {
          const failed = r.apiErrorStatus !== undefined;
          const result = {
            type: 'result',
            subtype: 'success',
            is_error: failed,
            result: failed ? `API Error: ${r.apiErrorStatus}` : (r.text ?? `fake: ${prompt}`),
            session_id: `s-${pid}`,
            total_cost_usd: r.costUsd ?? 0.001,
            num_turns: 1,
            duration_ms: r.delayMs ?? 0,
            duration_api_ms: r.delayMs ?? 0,
            usage: { input_tokens: 10, output_tokens: 5 },
            ...(failed ? { terminal_reason: 'api_error', api_error_status: r.apiErrorStatus } : {}),
          };
          endQuery();
          options.onStdout(
            Buffer.from(
              `${JSON.stringify({ type: 'system', subtype: 'init', session_id: `s-${pid}`, tools: [], model: 'fake' })}\n${JSON.stringify(result)}\n`,
            ),
          );
          setImmediate(() => finish({ exitCode: failed ? 1 : 0 }));
        }, r.delayMs ?? 0);
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
  return { spawn, state };
}
