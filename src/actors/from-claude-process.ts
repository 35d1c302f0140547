import { type AnyEventObject, fromCallback } from 'xstate';
import type { Logger } from '../logging/create-logger.js';
import type { ProcessEvent, ProcessInput } from '../machines/query-types.js';
import { isReleasable } from '../pool/pooled-process.js';
import { isResultMessage, serializeHostMessage, userMessage } from '../protocol/index.js';
import { type ClaudeProcess, spawnClaude } from '../transport/spawn-claude.js';
import { cliOutputDecoder } from './cli-output-decoder.js';
import { spawnOptionsFor } from './spawn-options-for.js';

/** What the process actor needs from the outside world; all replaceable in tests. */
export interface ClaudeProcessDependencies {
  /** @defaultValue {@link spawnClaude} */
  readonly spawn?: typeof spawnClaude;
  /** The host environment the minimal CLI environment is taken from. @defaultValue `process.env` */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger | undefined;
}

/**
 * Actor logic for one attempt of a query: spawns the CLI, writes the prompt on stdin as a
 * stream-json user message, parses stdout line by line into events for its parent, closes
 * stdin once the result is in, and reports the exit. Stopping the actor (the parent left the
 * attempt: cancel, timeout, retry) terminates the process group: SIGTERM, SIGKILL after
 * `timeouts.killGraceMs`.
 */
export function fromClaudeProcess(deps: ClaudeProcessDependencies = {}) {
  const spawn = deps.spawn ?? spawnClaude;
  return fromCallback<AnyEventObject, ProcessInput>(({ input, sendBack }) => {
    const { options } = input;
    let stopped = false;
    const send = (event: ProcessEvent): void => {
      if (!stopped) sendBack(event);
    };
    // The first attempt may already have created the session, and the CLI refuses a
    // `--session-id` that exists: later attempts run under a fresh id (the result reports it).
    // Throws ExecutableNotFoundError: the machine's onError turns it into a permanent failure.
    const spawnOptions = spawnOptionsFor(
      input.attempt > 1 ? { ...options, sessionId: undefined } : options,
      deps.parentEnv ?? process.env,
    );
    const log = deps.logger?.child({ queryId: input.queryId, attempt: input.attempt });

    let proc: ClaudeProcess | undefined;
    let usedTools = false;
    let resultSeen = false;
    const decoder = cliOutputDecoder(
      options.maxLineBytes,
      {
        onProtocolError: (error) => send({ type: 'claude.protocolError', error }),
        onMessage: (message) => {
          if (message.type === 'assistant' && hasToolUse(message.message)) usedTools = true;
          // Before the machine hears of the result (it finishes at once and stops this actor):
          // a pooled process goes back to its pool (which may clear and reuse it); any other
          // closes stdin, so the CLI exits once its result is out.
          if (isResultMessage(message) && proc) {
            resultSeen = true;
            if (isReleasable(proc) && proc.reusable) proc.release({ usedTools });
            else proc.closeInput();
          }
          send({ type: 'claude.message', message });
        },
      },
      log,
    );

    proc = spawn({ ...spawnOptions, onStdout: (chunk) => decoder.push(chunk) });
    log?.debug({ pid: proc.pid, executable: spawnOptions.executable }, 'spawned');
    send({ type: 'claude.spawned', pid: proc.pid });
    if (proc.pid !== undefined) {
      proc.write(serializeHostMessage(userMessage(input.prompt as never)));
      // One prompt, one turn. Closing stdin now lets the CLI exit as soon as its result is out,
      // instead of waiting for us to read the result and close it. Only the control protocol
      // (permission prompts over stdio) needs stdin open for the whole turn.
      const keepOpen =
        options.permissionPromptTool !== undefined || (isReleasable(proc) && proc.reusable);
      if (!keepOpen) proc.closeInput();
    }
    void proc.exited.then((exit) => {
      decoder.end();
      log?.debug({ exitCode: exit.exitCode, signal: exit.signal }, 'exited');
      send({ type: 'claude.exited', exit });
    });

    return () => {
      stopped = true;
      // After its result the CLI is already on its way out (stdin closed): let it exit by
      // itself (it flushes the session transcript) and only then force it. Before a result,
      // stopping means cancel, timeout or retry: terminate at once.
      if (resultSeen) void proc?.stop(options.timeouts.killGraceMs);
      else void proc?.terminate(options.timeouts.killGraceMs);
    };
  });
}

function hasToolUse(message: unknown): boolean {
  const content = (message as { content?: unknown } | undefined)?.content;
  return Array.isArray(content) && content.some((block) => block?.type === 'tool_use');
}
