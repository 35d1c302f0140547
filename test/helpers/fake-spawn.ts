import type {
  ClaudeProcess,
  ExitInfo,
  SpawnClaudeOptions,
} from '../../src/transport/spawn-claude.js';

let nextPid = 1_000_000;

/**
 * An in-process stand-in for `spawnClaude`: answers every prompt with an init and a result line
 * on the next tick, then "exits" 0. For scale and leak tests, where 10,000 real CLIs would take
 * an hour; the real CLI is covered by the integration tests.
 */
export function fakeSpawn(options: SpawnClaudeOptions): ClaudeProcess {
  const pid = nextPid++;
  let settle!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => {
    settle = resolve;
  });
  let done = false;
  const finish = (info: Partial<ExitInfo> = {}): void => {
    if (done) return;
    done = true;
    settle({ exitCode: 0, signal: undefined, stderrTail: '', ...info });
  };
  const lines = (prompt: string): string =>
    `${JSON.stringify({ type: 'system', subtype: 'init', session_id: `s-${pid}`, tools: [], model: 'fake' })}\n${JSON.stringify(
      {
        type: 'result',
        subtype: 'success',
        is_error: false,
        result: `fake: ${prompt}`,
        session_id: `s-${pid}`,
        total_cost_usd: 0.0001,
        num_turns: 1,
        duration_ms: 1,
        duration_api_ms: 1,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    )}\n`;
  return {
    pid,
    exited,
    write(line) {
      const prompt = JSON.parse(line).message.content as string;
      setImmediate(() => {
        options.onStdout(Buffer.from(lines(prompt)));
        setImmediate(() => finish());
      });
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
}
