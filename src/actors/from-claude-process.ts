import { type AnyEventObject, fromCallback } from 'xstate';
import { isClaudeActorsError } from '../core/errors/claude-actors-error.js';
import type { Logger } from '../core/logging/create-logger.js';
import { scrubbingLogger } from '../core/logging/scrubbing-logger.js';
import { spawnOptionsFor } from '../machines/query/options/spawn-options-for.js';
import type { ProcessEvent, ProcessInput } from '../machines/query/query-types.js';
import { isReleasable } from '../process/pool/pooled-process.js';
import { type ClaudeProcess, spawnClaude } from '../process/spawn/spawn-claude.js';
import { isResultMessage } from '../protocol/cli-message-guards.js';
import { userMessage } from '../protocol/host-message-builders.js';
import { serializeHostMessage } from '../protocol/serialize-host-message.js';
import { cliOutputDecoder } from './cli-output-decoder.js';

/** What the process actor needs from the outside world; all replaceable in tests. */
export interface ClaudeProcessDependencies {
  /** @defaultValue {@link spawnClaude} */
  readonly spawn?: typeof spawnClaude;
  /** The host environment the minimal CLI environment is taken from. @defaultValue `process.env` */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>;
  /** Scrubbed of secrets as the library's own logger is (see `scrubbingLogger`). */
  readonly logger?: Logger | undefined;
}

/**
 * Actor logic for one attempt of a query: spawns the CLI, writes the prompt on stdin as a
 * stream-json user message, parses stdout line by line into events for its parent, closes
 * stdin once the result is in, and reports the exit. Stopping the actor (the parent left the
 * attempt: cancel, timeout, retry) terminates the process group: SIGTERM, SIGKILL after
 * `timeouts.killGraceMs`.
 *
 * Anything that throws once the CLI is spawned (writing the prompt, decoding its output, a
 * listener) kills the process tree at once and fails the attempt with that error: the actor
 * errors when it happens while starting, and sends `claude.failed` when it happens later. No
 * CLI is left behind.
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
    const log =
      deps.logger &&
      scrubbingLogger(deps.logger).child({ queryId: input.queryId, attempt: input.attempt });

    let proc: ClaudeProcess | undefined;
    let usedTools = false;
    let resultSeen = false;
    const decoder = cliOutputDecoder(
      options.maxLineBytes,
      {
        onProtocolError: (error) => send({ type: 'claude.protocolError', error }),
        onMessage: (message) => {
          if (message.type === 'assistant' && hasToolUse(message.message.content)) usedTools = true;
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

    let failed = false;
    /** Kills the CLI and all it started: nothing may outlive an attempt that threw. */
    const abandon = (error: unknown, during: string): void => {
      failed = true;
      log?.error({ pid: proc?.pid, err: error }, `${during} threw; killing the CLI`);
      proc?.kill();
    };
    const onStdout = (chunk: Buffer): void => {
      if (failed) return;
      try {
        decoder.push(chunk);
      } catch (error) {
        // On the stdout stream's own stack: thrown on, it would crash the host.
        abandon(error, 'handling CLI output');
        send({ type: 'claude.failed', error: hostFailure(error, 'handling its output', proc) });
      }
    };

    proc = spawn({ ...spawnOptions, onStdout });
    try {
      log?.debug({ pid: proc.pid, executable: spawnOptions.executable }, 'spawned');
      send({ type: 'claude.spawned', pid: proc.pid });
      if (proc.pid !== undefined) {
        proc.write(serializeHostMessage(userMessage(input.prompt as never)));
        // One prompt, one turn. Closing stdin now lets the CLI exit as soon as its result is
        // out, instead of waiting for us to read the result and close it. Only the control
        // protocol (permission prompts over stdio) needs stdin open for the whole turn.
        const keepOpen =
          options.permissionPromptTool !== undefined || (isReleasable(proc) && proc.reusable);
        if (!keepOpen) proc.closeInput();
      }
    } catch (error) {
      abandon(error, 'starting the attempt');
      // The actor errors with it: the machine's onError ends the attempt.
      throw hostFailure(error, 'sending it the prompt', proc);
    }
    void proc.exited.then((exit) => {
      try {
        decoder.end();
      } catch (error) {
        log?.error({ err: error }, 'decoding the last CLI output threw');
      }
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

/**
 * What an attempt fails with when the host threw after spawning the CLI: the library's own
 * error as it is, anything else wrapped (not retryable: the same input throws again).
 */
function hostFailure(error: unknown, doing: string, proc: ClaudeProcess | undefined): unknown {
  if (isClaudeActorsError(error)) return error;
  const why = error instanceof Error ? error.message : String(error);
  const pid = proc?.pid === undefined ? '' : ` (pid ${proc.pid}, killed)`;
  return new Error(`the host failed while ${doing}${pid}: ${why}`, { cause: error });
}

function hasToolUse(content: string | readonly { readonly type: string }[]): boolean {
  return typeof content !== 'string' && content.some((block) => block.type === 'tool_use');
}
