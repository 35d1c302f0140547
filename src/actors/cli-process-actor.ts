import { type AnyEventObject, fromCallback } from 'xstate';
import { isClaudeActorsError } from '../core/errors/claude-actors-error.js';
import { scrubbingLogger } from '../core/logging/scrubbing-logger.js';
import { isReleasable } from '../process/pool/pooled-process.js';
import { type ClaudeProcess, spawnClaude } from '../process/spawn/spawn-claude.js';
import { isResultMessage } from '../protocol/cli-message-guards.js';
import { serializeHostMessage } from '../protocol/serialize-host-message.js';
import { cliOutputDecoder } from './cli-output-decoder.js';
import type {
  ClaudeProcessDependencies,
  CliProcessCommand,
  CliProcessEvent,
  CliProcessInput,
} from './cli-process-types.js';

/**
 * Actor logic owning one CLI process, for a query attempt and for a session alike: spawns it,
 * writes `messages` on stdin, parses stdout line by line into events for its parent
 * (`claude.spawned`, `claude.message`, `claude.protocol_error`, `claude.exited`), carries out
 * its parent's commands (`WRITE`, `CLOSE_INPUT`, `KILL`), and closes
 * stdin as its `stdin` mode says. Stopping the actor (cancel, timeout, retry, the session's
 * end) terminates the process group: SIGTERM, SIGKILL after `killGraceMs`; after a query's
 * result, when stdin is already closed, the CLI first gets `killGraceMs` to exit by itself
 * (it flushes the session transcript).
 *
 * Anything that throws once the CLI is spawned (writing a message, decoding its output, a
 * listener, a command) kills the process tree at once and fails with that error: the actor
 * errors when it happens while starting, and sends `claude.failed` when it happens later. No
 * CLI is left behind.
 *
 * @typeParam TInput - the parent's input type; only the {@link CliProcessInput} part is read.
 * @example
 * ```ts
 * const machine = queryMachine.provide({ actors: { claudeProcess: fromCliProcess({ logger }) } });
 * ```
 */
export function fromCliProcess<TInput extends CliProcessInput = CliProcessInput>(
  deps: ClaudeProcessDependencies = {},
) {
  const spawn = deps.spawn ?? spawnClaude;
  // Generic in its input so that a machine's richer input (a query's attempt) types its slot.
  return fromCallback<AnyEventObject, TInput>(({ input, sendBack, receive }) => {
    let stopped = false;
    const send = (event: CliProcessEvent): void => {
      if (!stopped) sendBack(event);
    };
    const closesAtResult = input.stdin !== 'open';
    // Throws ExecutableNotFoundError before anything runs: the parent's onError handles it.
    const spawnOptions = input.spawnOptions(deps.parentEnv ?? process.env);
    const log = deps.logger && scrubbingLogger(deps.logger).child(input.logBindings);

    let proc: ClaudeProcess | undefined;
    let usedTools = false;
    let resultSeen = false;
    const decoder = cliOutputDecoder(
      input.maxLineBytes,
      {
        onProtocolError: (error) => send({ type: 'claude.protocol_error', error }),
        onMessage: (message) => {
          if (closesAtResult) {
            if (message.type === 'assistant' && hasToolUse(message.message.content))
              usedTools = true;
            // Before the parent hears of the result (a query finishes at once and stops this
            // actor): a pooled process goes back to its pool (which may clear and reuse it);
            // any other closes stdin, so the CLI exits once its result is out.
            if (isResultMessage(message) && proc) {
              resultSeen = true;
              if (isReleasable(proc) && proc.reusable) proc.release({ usedTools });
              else proc.closeInput();
            }
          }
          send({ type: 'claude.message', message });
        },
      },
      log,
    );

    let failed = false;
    /** Kills the CLI and all it started: nothing may outlive a process whose host threw. */
    const abandon = (error: unknown, during: string): void => {
      failed = true;
      log?.error({ pid: proc?.pid, err: error }, `${during} threw; killing the CLI`);
      proc?.kill();
    };
    /** Runs `work` on a stack that must not throw (a stream's, a command's). */
    const guarded = (during: string, doing: string, work: () => void): void => {
      if (failed) return;
      try {
        work();
      } catch (error) {
        abandon(error, during);
        send({ type: 'claude.failed', error: hostFailure(error, doing, proc) });
      }
    };

    proc = spawn({
      ...spawnOptions,
      onStdout: (chunk) =>
        guarded('handling CLI output', 'handling its output', () => decoder.push(chunk)),
    });
    try {
      log?.debug({ pid: proc.pid, executable: spawnOptions.executable }, 'spawned');
      send({ type: 'claude.spawned', pid: proc.pid });
      if (proc.pid !== undefined && input.messages.length > 0) {
        for (const message of input.messages) proc.write(serializeHostMessage(message));
        // One prompt, one turn. Closing stdin now lets the CLI exit as soon as its result is
        // out, instead of waiting for us to read the result and close it.
        const keepOpen = input.stdin !== 'afterMessages' || (isReleasable(proc) && proc.reusable);
        if (!keepOpen) proc.closeInput();
      }
    } catch (error) {
      abandon(error, 'starting the process');
      // The actor errors with it: the parent's onError handles it.
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

    receive((event) => {
      const command = event as CliProcessCommand;
      const running = proc as ClaudeProcess;
      guarded(command.type, `carrying out ${command.type}`, () => {
        if (command.type === 'WRITE') running.write(command.line);
        else if (command.type === 'CLOSE_INPUT') running.closeInput();
        else if (command.type === 'KILL') running.kill();
      });
    });

    return () => {
      stopped = true;
      // After its result a query's CLI is already on its way out (stdin closed): let it exit
      // by itself and only then force it. Otherwise stopping means cancel, timeout, retry or
      // the end of a session: terminate at once.
      if (resultSeen) void proc?.stop(input.killGraceMs);
      else void proc?.terminate(input.killGraceMs);
    };
  });
}

/**
 * What the actor fails with when the host threw after spawning the CLI: the library's own
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
