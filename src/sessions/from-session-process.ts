import { type AnyEventObject, fromCallback } from 'xstate';
import { claudeProcessEnv } from '../actors/claude-process-env.js';
import type { ClaudeProcessDependencies } from '../actors/from-claude-process.js';
import { toCliArgs } from '../options/index.js';
import { createLineDecoder, parseCliLine } from '../protocol/index.js';
import { buildEnv } from '../transport/build-env.js';
import { resolveExecutable } from '../transport/resolve-executable.js';
import { spawnClaude } from '../transport/spawn-claude.js';
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
 * SIGKILL after `timeouts.killGraceMs`.
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
    const executable = resolveExecutable({
      executable: options.executable,
      env: deps.parentEnv ?? process.env,
    });
    const env = buildEnv({
      parent: deps.parentEnv ?? process.env,
      inheritEnv: options.inheritEnv,
      extra: claudeProcessEnv(options),
    });
    const log = deps.logger?.child({ sessionKey: input.sessionKey });

    const decoder = createLineDecoder({
      maxLineBytes: options.maxLineBytes,
      onLine: (line) => {
        const parsed = parseCliLine(line);
        if (parsed === undefined) return;
        if (parsed.type === 'protocol_error') {
          log?.warn({ reason: parsed.reason, sample: parsed.sample }, 'protocol error');
          send({ type: 'claude.protocolError', error: parsed });
          return;
        }
        send({ type: 'claude.message', message: parsed });
      },
      onOverflow: ({ length, sample }) => {
        send({
          type: 'claude.protocolError',
          error: {
            type: 'protocol_error',
            reason: 'line_too_long',
            detail: `a line exceeded maxLineBytes (${options.maxLineBytes}) and was dropped`,
            sample,
            length,
          },
        });
      },
    });

    const proc = spawn({
      executable,
      args: toCliArgs(options),
      env,
      cwd: options.cwd,
      stderrTailBytes: options.stderrTailBytes,
      onStdout: (chunk) => decoder.push(chunk),
    });
    log?.debug({ pid: proc.pid, executable }, 'session process spawned');
    send({ type: 'claude.spawned', pid: proc.pid });
    void proc.exited.then((exit) => {
      decoder.end();
      log?.debug({ exitCode: exit.exitCode, signal: exit.signal }, 'session process exited');
      send({ type: 'claude.exited', exit });
    });

    receive((event) => {
      const command = event as SessionProcessCommand;
      if (command.type === 'process.write') proc.write(command.line);
      else if (command.type === 'process.closeInput') proc.closeInput();
      else if (command.type === 'process.kill') proc.kill();
    });

    return () => {
      stopped = true;
      void proc.terminate(options.timeouts.killGraceMs);
    };
  });
}
