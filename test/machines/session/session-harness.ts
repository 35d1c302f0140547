import { type AnyActorLogic, type AnyEventObject, createActor, fromCallback } from 'xstate';
import { fromControlHandler } from '../../../src/machines/control/from-control-handler.js';
import { sessionMachine } from '../../../src/machines/session/session-machine.js';
import {
  parseSessionOptions,
  type SessionOptions,
} from '../../../src/machines/session/session-options.js';
import type {
  SessionEmitted,
  SessionProcessCommand,
  SessionProcessEvent,
  SessionProcessInput,
} from '../../../src/machines/session/session-types.js';
import { parseCliLine } from '../../../src/protocol/parse-cli-line.js';

/**
 * A session machine whose CLI is scripted by the test: `cli(...)` plays a line from the CLI,
 * `written` holds every line the machine wrote, parsed.
 */
export function sessionHarness(
  options: SessionOptions = {},
  controlHandler: AnyActorLogic = fromControlHandler(),
) {
  const written: Record<string, unknown>[] = [];
  const commands: SessionProcessCommand['type'][] = [];
  let sendBack: (event: SessionProcessEvent) => void = () => {};
  const logic = sessionMachine.provide({
    actors: {
      sessionProcess: fromCallback<AnyEventObject, SessionProcessInput>(
        ({ sendBack: back, receive }) => {
          sendBack = back as typeof sendBack;
          receive((event) => {
            const command = event as SessionProcessCommand;
            commands.push(command.type);
            if (command.type === 'WRITE') written.push(JSON.parse(command.line));
          });
        },
      ),
      controlHandler: controlHandler as never,
    },
  });
  const actor = createActor(logic, {
    input: { sessionKey: 'test', options: parseSessionOptions(options) },
  });
  const emitted: SessionEmitted[] = [];
  actor.on('*', (event) => emitted.push(event as SessionEmitted));
  actor.start();

  const cli = (message: Record<string, unknown>): void => {
    const parsed = parseCliLine(JSON.stringify(message));
    if (parsed?.type === 'protocol_error' || parsed === undefined) throw new Error('bad line');
    sendBack({ type: 'claude.message', message: parsed });
  };
  /** Plays a raw line as the process actor would: a message, or a protocol error. */
  const line = (raw: string): void => {
    const parsed = parseCliLine(raw);
    if (parsed === undefined) return;
    sendBack(
      parsed.type === 'protocol_error'
        ? { type: 'claude.protocol_error', error: parsed }
        : { type: 'claude.message', message: parsed },
    );
  };
  const respond = (requestId: string, response: Record<string, unknown> = {}): void =>
    cli({
      type: 'control_response',
      response: { subtype: 'success', request_id: requestId, response },
    });
  const result = (text: string, totalCostUsd: number): void =>
    cli({
      type: 'result',
      subtype: 'success',
      is_error: false,
      result: text,
      session_id: 'sess-1',
      total_cost_usd: totalCostUsd,
    });
  const exit = (signal?: NodeJS.Signals): void =>
    sendBack({
      type: 'claude.exited',
      exit: { exitCode: signal ? undefined : 0, signal, stderrTail: '' },
    });
  const send = (turnId: string, text: string): void =>
    actor.send({
      type: 'SEND',
      turnId,
      line: `${JSON.stringify({ type: 'user', message: { role: 'user', content: text } })}\n`,
    });
  const control = (requestId: string, request: Record<string, unknown>): void =>
    actor.send({
      type: 'CONTROL',
      requestId,
      subtype: String(request.subtype),
      line: `${JSON.stringify({ type: 'control_request', request_id: requestId, request })}\n`,
    });
  const userLines = (): string[] =>
    written.filter((w) => w.type === 'user').map((w) => (w.message as { content: string }).content);
  const of = <T extends SessionEmitted['type']>(type: T) =>
    emitted.filter((e): e is Extract<SessionEmitted, { type: T }> => e.type === type);

  return {
    actor,
    written,
    commands,
    emitted,
    cli,
    line,
    respond,
    result,
    exit,
    send,
    control,
    userLines,
    of,
  };
}
