import { describe, expect, it } from 'vitest';
import { controlAnswerOf, crashAnswerOf } from '../../../src/machines/control/control-answer.js';
import { controlHandlerId } from '../../../src/machines/control/control-handler-id.js';

const parse = (line: string | undefined) => (line === undefined ? undefined : JSON.parse(line));

describe('controlAnswerOf', () => {
  it('writes the success or error answer of a handler, with its failure', () => {
    const failure = new Error('callback threw') as never;
    const ok = controlAnswerOf({
      actorId: controlHandlerId('r1'),
      output: { requestId: 'r1', ok: true, response: { behavior: 'deny', message: 'no' }, failure },
    });
    expect(ok).toMatchObject({ actorId: 'cli:r1', requestId: 'r1', failure });
    expect(parse(ok?.line)).toEqual({
      type: 'control_response',
      response: {
        subtype: 'success',
        request_id: 'r1',
        response: { behavior: 'deny', message: 'no' },
      },
    });
    const error = controlAnswerOf({
      actorId: controlHandlerId('r2'),
      output: { requestId: 'r2', ok: false, error: 'unsupported' },
    });
    expect(parse(error?.line)).toEqual({
      type: 'control_response',
      response: { subtype: 'error', request_id: 'r2', error: 'unsupported' },
    });
  });

  it('writes nothing for a silent answer, but still names the request to forget', () => {
    const answer = controlAnswerOf({
      actorId: controlHandlerId('d1'),
      output: { requestId: 'd1', ok: 'silent' },
    });
    expect(answer).toEqual({
      actorId: 'cli:d1',
      requestId: 'd1',
      line: undefined,
      failure: undefined,
    });
  });

  it('ignores the end of a child that is not a control handler', () => {
    expect(controlAnswerOf({ actorId: 'process', output: { requestId: 'x', ok: 'silent' } })).toBe(
      undefined,
    );
    expect(controlAnswerOf({ actorId: controlHandlerId('x') })).toBeUndefined();
  });
});

describe('crashAnswerOf', () => {
  it('answers the crashed handler’s request with an error, by the event type when no actorId', () => {
    const answer = crashAnswerOf({
      type: `xstate.error.actor.${controlHandlerId('r9')}`,
      error: new TypeError('no request'),
    });
    expect(answer).toMatchObject({ actorId: 'cli:r9', requestId: 'r9' });
    expect(parse(answer?.line)).toEqual({
      type: 'control_response',
      response: { subtype: 'error', request_id: 'r9', error: 'no request' },
    });
  });

  it('ignores the failure of another child', () => {
    expect(crashAnswerOf({ type: 'xstate.error.actor.process', error: 'x' })).toBeUndefined();
  });
});
