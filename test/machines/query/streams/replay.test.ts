import { firstValueFrom, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { parseQueryOptions } from '../../../../src/machines/query/options/parse-options.js';
import { queryMachine } from '../../../../src/machines/query/query-machine.js';
import type { QueryEvent } from '../../../../src/machines/query/query-types.js';
import { queryEvents } from '../../../../src/machines/query/streams/query-events.js';
import {
  assistant,
  exited,
  init,
  result,
  scriptedProcess,
  spawned,
} from '../../../helpers/scripted-process.js';

function actorWithScript() {
  const { logic } = scriptedProcess(() => [
    { event: spawned() },
    { afterMs: 10, event: init() },
    { afterMs: 10, event: assistant('hi') },
    { afterMs: 10, event: result() },
    { event: exited() },
  ]);
  return createActor(queryMachine.provide({ actors: { claudeProcess: logic } }), {
    input: { queryId: 'q', prompt: 'p', options: parseQueryOptions({}) },
  });
}

describe('queryEvents', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is hot: a late subscriber sees only what comes after it subscribed, then completion', async () => {
    const actor = actorWithScript();
    const early: QueryEvent[] = [];
    queryEvents(actor).subscribe((e) => early.push(e));
    actor.start();
    await vi.advanceTimersByTimeAsync(15);
    const late = firstValueFrom(queryEvents(actor).pipe(toArray()));
    await vi.advanceTimersByTimeAsync(100);
    expect(early.map((e) => e.type)).toEqual([
      'query.spawned',
      'query.message',
      'query.message',
      'query.message',
    ]);
    expect((await late).map((e) => e.type)).toEqual(['query.message', 'query.message']);
  });

  it('completes at once for an actor that has already finished', async () => {
    const actor = actorWithScript();
    actor.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(await firstValueFrom(queryEvents(actor).pipe(toArray()))).toEqual([]);
  });
});
