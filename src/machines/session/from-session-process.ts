import { type AnyEventObject, fromCallback } from 'xstate';
import { cliOutputDecoder } from '../../actors/cli-output-decoder.js';
import type { ClaudeProcessDependencies } from '../../actors/from-claude-process.js';
import { scrubbingLogger } from '../../core/logging/scrubbing-logger.js';
import { type ClaudeProcess, spawnClaude } from '../../process/spawn/spawn-claude.js';
import { spawnOptionsFor } from '../query/options/spawn-options-for.js';
import type {
  SessionProcessCommand,
  SessionProcessEvent,
  SessionProcessInput,
} from './session-types.js';

/**
 * Actor logic owning one long-lived CLI process in stream-json input mode: spawns it, parses
 * stdout line by line into events for its parent, writes the lines its parent sends
 * (`process.write`), closes stdin (`process.closeInput`) or kills it (`process.kill`) on
 * request, and reports the exit. Stopping the actor terminates the process group: SIGTERM,
 * SIGKILL after `timeouts.killGraceMs`. Anything that throws while handling its output or a
 * command kills the process tree at once (logged); the session then sees the CLI's exit.
 */
export function fromSessionProcess(deps: ClaudeProcessDependencies = {}) {
  const spawn = deps.spawn ?? spawnClaude;
  return fromCallback<AnyEventObject, SessionProcessInput>(({ input, sendBack, receive }) => {
    const { options } = input;
    let stopped = false;
    const send = (event: SessionProcessEvent): void => {
      if (!stopped) sendBack(event);
    };
    // Throws ExecutableNotFoundError: the machine's onError turns it into a failure.
    const spawnOptions = spawnOptionsFor(options, deps.parentEnv ?? process.env);
    const log = deps.logger && scrubbingLogger(deps.logger).child({ sessionKey: input.sessionKey });
    const decoder = cliOutputDecoder(
      options.maxLineBytes,
      {
        onMessage: (message) => send({ type: 'claude.message', message }),
        onProtocolError: (error) => send({ type: 'claude.protocolError', error }),
      },
      log,
    );
    let spawned: ClaudeProcess | undefined;
    /** Runs `work`; if it throws, nothing may outlive the session: the CLI is killed. */
    const guarded = (during: string, work: () => void): void => {
      try {
        work();
      } catch (error) {
        log?.error({ pid: spawned?.pid, err: error }, `${during} threw; killing the session CLI`);
        spawned?.kill();
      }
    };
    // On the stdout stream's own stack: a throw carried on would crash the host.
    const proc = spawn({
      ...spawnOptions,
      onStdout: (chunk) => guarded('handling CLI output', () => decoder.push(chunk)),
    });
    spawned = proc;
    log?.debug({ pid: proc.pid, executable: spawnOptions.executable }, 'session process spawned');
    send({ type: 'claude.spawned', pid: proc.pid });
    void proc.exited.then((exit) => {
      decoder.end();
      log?.debug({ exitCode: exit.exitCode, signal: exit.signal }, 'session process exited');
      send({ type: 'claude.exited', exit });
    });

    receive((event) => {
      const command = event as SessionProcessCommand;
      guarded(command.type, () => {
        if (command.type === 'process.write') proc.write(command.line);
        else if (command.type === 'process.closeInput') proc.closeInput();
        else if (command.type === 'process.kill') proc.kill();
      });
    });

    return () => {
      stopped = true;
      void proc.terminate(options.timeouts.killGraceMs);
    };
  });
}
