import type {
  ClaudeProcess,
  ExitInfo,
  SpawnClaudeOptions,
} from '../../src/process/spawn/spawn-claude.js';

/** How the fake CLI answers one prompt. */
export interface ScriptedReply {
  /** @defaultValue `fake: <prompt>` */
  readonly text?: string;
  /** Fail as the API would, e.g. 529 (retryable) or 400 (not). */
  readonly apiErrorStatus?: number;
  /** Answer with an error result that is not an API failure (a permanent `QueryFailedError`). */
  readonly fail?: boolean;
  /** Never answer (until the process is terminated). */
  readonly hang?: boolean;
  /** Time before the answer, on whatever timers are in use. @defaultValue 0 */
  readonly delayMs?: number;
  /** @defaultValue 0.001 */
  readonly costUsd?: number;
  /** Lines written before the result (a `rate_limit_event`, an `api_retry`...). */
  readonly messages?: readonly unknown[];
}

/** One prompt the fake CLI received. */
export interface ScriptedCall {
  readonly prompt: string;
  readonly cwd: string | undefined;
  readonly startedAt: number;
  /** When its result was written (or the process ended without one). */
  endedAt: number | undefined;
}

/** What the reply function is told besides the prompt. */
export interface ScriptedCallInfo {
  /** Calls with this same prompt so far, this one included (from 1). */
  readonly n: number;
  readonly cwd: string | undefined;
}

let nextPid = 2_000_000;

/**
 * A fake `spawn` for tests that need no real CLI: each prompt is answered by
 * `reply(prompt, call, info)` after its delay (`call` counts every call from 0). Records every
 * call, and counts queries in flight at once (spawned, not yet answered).
 */
export function scriptedSpawn(
  reply: (prompt: string, call: number, info: ScriptedCallInfo) => ScriptedReply,
) {
  let calls = 0;
  const perPrompt = new Map<string, number>();
  const state = { live: 0, maxLive: 0, prompts: [] as string[], calls: [] as ScriptedCall[] };
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;
  const spawn = (options: SpawnClaudeOptions): ClaudeProcess => {
    const pid = nextPid++;
    let settle!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((resolve) => {
      settle = resolve;
    });
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let call: ScriptedCall | undefined;
    state.live += 1;
    state.maxLive = Math.max(state.maxLive, state.live);
    // In flight from spawn until the result is written: a CLI still exiting after its result
    // no longer counts against any cap.
    let answered = false;
    const endQuery = (): void => {
      if (answered) return;
      answered = true;
      state.live -= 1;
      if (call) call.endedAt = Date.now();
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
      write(input) {
        const prompt = JSON.parse(input).message.content as string;
        const n = (perPrompt.get(prompt) ?? 0) + 1;
        perPrompt.set(prompt, n);
        state.prompts.push(prompt);
        call = { prompt, cwd: options.cwd, startedAt: Date.now(), endedAt: undefined };
        state.calls.push(call);
        const r = reply(prompt, calls++, { n, cwd: options.cwd });
        if (r.hang) return true;
        timer = setTimeout(() => {
          const apiFailure = r.apiErrorStatus !== undefined;
          const session = `s-${pid}`;
          const result = {
            type: 'result',
            subtype: r.fail ? 'error_during_execution' : 'success',
            is_error: apiFailure || r.fail === true,
            result: apiFailure ? `API Error: ${r.apiErrorStatus}` : (r.text ?? `fake: ${prompt}`),
            session_id: session,
            total_cost_usd: r.costUsd ?? 0.001,
            num_turns: 1,
            duration_ms: r.delayMs ?? 0,
            duration_api_ms: r.delayMs ?? 0,
            usage: { input_tokens: 10, output_tokens: 5 },
            ...(apiFailure
              ? { terminal_reason: 'api_error', api_error_status: r.apiErrorStatus }
              : {}),
          };
          endQuery();
          options.onStdout(
            Buffer.from(
              line({
                type: 'system',
                subtype: 'init',
                session_id: session,
                tools: [],
                model: 'fake',
              }) +
                (r.messages ?? []).map(line).join('') +
                line(result),
            ),
          );
          setImmediate(() => finish({ exitCode: apiFailure || r.fail ? 1 : 0 }));
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
