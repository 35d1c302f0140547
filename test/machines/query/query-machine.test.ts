import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnyActorLogic, createActor, fromPromise } from 'xstate';
import { CancelledError } from '../../../src/core/errors/cancelled-error.js';
import { ApiError } from '../../../src/machines/query/errors/api-error.js';
import { QueryHistory } from '../../../src/machines/query/history/query-history.js';
import { parseQueryOptions } from '../../../src/machines/query/options/parse-options.js';
import type { QueryOptions } from '../../../src/machines/query/options/query-options.js';
import { queryMachine } from '../../../src/machines/query/query-machine.js';
import type {
  AttemptReport,
  QueryEvent,
  QueryResult,
} from '../../../src/machines/query/query-types.js';
import {
  apiErrorResult,
  apiRetry,
  assistant,
  cli,
  exited,
  init,
  result,
  type ScriptStep,
  scriptedProcess,
  spawned,
} from '../../helpers/scripted-process.js';

const ok: ScriptStep[] = [
  { event: spawned() },
  { afterMs: 10, event: init() },
  { afterMs: 10, event: assistant('hello') },
  { afterMs: 10, event: result({ result: 'hello' }) },
  { afterMs: 5, event: exited() },
];

function start(
  script: (attempt: number) => readonly ScriptStep[],
  options: QueryOptions = {},
  extra: { history?: QueryHistory; retryByRestart?: boolean } = {},
  admission?: { logic: AnyActorLogic; reports: (AttemptReport | undefined)[] },
) {
  const { logic, log } = scriptedProcess(script);
  const machine = admission
    ? queryMachine.provide({
        actors: { claudeProcess: logic, admission: admission.logic as never },
        actions: { reportAttempt: (_, report) => admission.reports.push(report) },
      })
    : queryMachine.provide({ actors: { claudeProcess: logic } });
  const actor = createActor(machine, {
    input: {
      queryId: 'q1',
      prompt: 'hi',
      options: parseQueryOptions({
        retry: { maxAttempts: 3, initialDelayMs: 1000, multiplier: 2, jitter: 0 },
        timeouts: { idleMs: 5_000, killGraceMs: 500 },
        ...options,
      }),
      random: () => 0.5,
      now: () => Date.now(),
      ...extra,
    },
  });
  const events: QueryEvent[] = [];
  actor.on('*', (event) => events.push(event as QueryEvent));
  const states: string[] = [];
  actor.subscribe((snapshot) => {
    const value = JSON.stringify(snapshot.value);
    if (states.at(-1) !== value) states.push(value);
  });
  actor.start();
  const output = (): QueryResult => {
    const snapshot = actor.getSnapshot();
    if (snapshot.status !== 'done') throw new Error(`not done: ${JSON.stringify(snapshot.value)}`);
    return snapshot.output!;
  };
  return { actor, log, events, states, output };
}

/** An attempt the API refuses as overloaded (529), costing 0.002. */
const overloadedOnce: ScriptStep[] = [
  { event: spawned() },
  { event: init() },
  { afterMs: 10, event: apiErrorResult(529, 'overloaded_error', 0.002) },
  { event: exited({ exitCode: 1 }) },
];

describe('queryMachine', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('goes waitingForPermit → spawning → streaming → succeeded and outputs the result', async () => {
    const { output, states, events, log } = start(() => ok);
    await vi.advanceTimersByTimeAsync(100);
    const out = output();
    expect(out).toMatchObject({
      status: 'succeeded',
      text: 'hello',
      sessionId: 'sess-1',
      costUsd: 0.01,
      numTurns: 1,
      attempts: 1,
      error: undefined,
      usage: { inputTokens: 10, outputTokens: 5 },
    });
    expect(states).toEqual([
      '{"running":"waitingForPermit"}',
      '{"running":{"attempt":"spawning"}}',
      '{"running":{"attempt":"streaming"}}',
      '"succeeded"',
    ]);
    // Done at the result: the process's own exit comes after and is the process actor's business.
    expect(events.map((e) => e.type)).toEqual([
      'query.spawned',
      'query.message',
      'query.message',
      'query.message',
    ]);
    expect(log.stopped).toEqual([1]);
  });

  it('retries a 529 result after the backoff delay and sums the cost of every attempt', async () => {
    const { output, events, log } = start((attempt) =>
      attempt === 1
        ? [
            { event: spawned() },
            { event: init() },
            { afterMs: 10, event: apiErrorResult(529, 'overloaded_error', 0.002) },
            { event: exited({ exitCode: 1 }) },
          ]
        : ok,
    );
    // The error result arrives at 10 ms; the retry is due 1 000 ms later.
    await vi.advanceTimersByTimeAsync(1_009);
    expect(log.started).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.started).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(100);
    const out = output();
    expect(out.status).toBe('succeeded');
    expect(out.attempts).toBe(2);
    expect(out.costUsd).toBeCloseTo(0.012, 10);
    expect(out.attemptErrors).toHaveLength(1);
    expect(out.attemptErrors[0]).toMatchObject({ code: 'API_ERROR', status: 529, retryable: true });
    expect(events.find((e) => e.type === 'query.retrying')).toMatchObject({
      attempt: 1,
      delayMs: 1000,
    });
  });

  it('fails at once on a 401 result without retrying', async () => {
    const { output, log } = start(() => [
      { event: spawned() },
      { event: init() },
      { event: apiErrorResult(401, 'authentication_error') },
      { event: exited({ exitCode: 1 }) },
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(output()).toMatchObject({ status: 'failed', attempts: 1 });
    expect(output().error).toMatchObject({ code: 'API_ERROR', status: 401, retryable: false });
    expect(output().error?.message).toMatch(/HTTP 401.*Check the API key/);
    expect(log.started).toEqual([1]);
  });

  it('stops the CLI as soon as it reports retrying a 401, without waiting for its own retries', async () => {
    const { output, log } = start(() => [
      { event: spawned() },
      { event: init() },
      { afterMs: 10, event: apiRetry(401, 'authentication_failed') },
      { afterMs: 180_000, event: apiErrorResult(401, 'authentication_error') },
    ]);
    await vi.advanceTimersByTimeAsync(20);
    expect(output()).toMatchObject({ status: 'failed', attempts: 1 });
    expect(output().error).toMatchObject({ status: 401, retryable: false });
    expect(log.stopped).toEqual([1]);
  });

  it('carries the wait a rejected rate_limit_event announced into the 429 and its backoff', async () => {
    const resetsAt = Math.floor((Date.now() + 8_000) / 1000);
    const { output, events } = start((attempt) =>
      attempt === 1
        ? [
            { event: spawned() },
            { event: init() },
            {
              event: {
                type: 'claude.message',
                message: cli({
                  type: 'rate_limit_event',
                  rate_limit_info: { status: 'rejected', resetsAt },
                  session_id: 'sess-1',
                  uuid: 'u-rl',
                }),
              },
            },
            { afterMs: 10, event: apiErrorResult(429, 'rate_limit_error') },
            { event: exited({ exitCode: 1 }) },
          ]
        : ok,
    );
    await vi.advanceTimersByTimeAsync(20);
    const retrying = events.find((e) => e.type === 'query.retrying');
    // The result said nothing of retry-after; the event before it did (~8 s, not the 1 s backoff).
    expect(retrying).toMatchObject({ error: { status: 429 } });
    const error = (retrying as { error: { retryAfterSec?: number } }).error;
    expect(error.retryAfterSec).toBeGreaterThan(6);
    expect((retrying as { delayMs: number }).delayMs).toBeGreaterThan(6_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(output()).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('leaves transient api_retry notices to the CLI', async () => {
    const { output } = start(() => [
      { event: spawned() },
      { event: init() },
      { event: apiRetry(529, 'overloaded') },
      { afterMs: 10, event: result() },
      { event: exited() },
    ]);
    await vi.advanceTimersByTimeAsync(50);
    expect(output()).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('kills a silent process after the idle timeout and retries it', async () => {
    const { output, log, events } = start((attempt) =>
      attempt === 1 ? [{ event: spawned() }, { event: init() }] : ok,
    );
    await vi.advanceTimersByTimeAsync(4_999);
    expect(log.stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.stopped).toEqual([1]);
    expect(events.find((e) => e.type === 'query.retrying')).toMatchObject({
      error: { code: 'IDLE_TIMEOUT', retryable: true },
    });
    await vi.advanceTimersByTimeAsync(1_100);
    expect(output()).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('gives a CLI that never writes its first line only startMs', async () => {
    const { output, log, events } = start(
      (attempt) => (attempt === 1 ? [{ event: spawned() }] : ok),
      {
        timeouts: { startMs: 800, idleMs: 5_000 },
      },
    );
    await vi.advanceTimersByTimeAsync(799);
    expect(log.stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(log.stopped).toEqual([1]);
    expect(events.find((e) => e.type === 'query.retrying')).toMatchObject({
      error: { timeoutMs: 800 },
    });
    await vi.advanceTimersByTimeAsync(1_100);
    expect(output()).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('restarts the idle timer on every message', async () => {
    const { output } = start(() => [
      { event: spawned() },
      { afterMs: 4_000, event: init() },
      { afterMs: 4_000, event: assistant('a') },
      { afterMs: 4_000, event: assistant('b') },
      { afterMs: 4_000, event: result() },
      { event: exited() },
    ]);
    await vi.advanceTimersByTimeAsync(17_000);
    expect(output()).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('gives up after maxAttempts with every attempt error, waiting 1 s then 2 s', async () => {
    const crash: ScriptStep[] = [
      { event: spawned() },
      {
        afterMs: 10,
        event: exited({ exitCode: undefined, signal: 'SIGKILL', stderrTail: 'boom' }),
      },
    ];
    const { output, events, log } = start(() => crash);
    await vi.advanceTimersByTimeAsync(10_000);
    const out = output();
    expect(out.status).toBe('failed');
    expect(out.attempts).toBe(3);
    expect(log.started).toEqual([1, 2, 3]);
    expect(out.attemptErrors.map((e) => e.code)).toEqual([
      'PROCESS_EXITED',
      'PROCESS_EXITED',
      'PROCESS_EXITED',
    ]);
    expect(out.error).toMatchObject({ signal: 'SIGKILL', stderrTail: 'boom', attempt: 3 });
    expect(
      events
        .filter((e) => e.type === 'query.retrying')
        .map((e) => (e as { delayMs: number }).delayMs),
    ).toEqual([1000, 2000]);
  });

  it('does not retry a CLI that rejected its command line', async () => {
    const { output } = start(() => [
      { event: spawned() },
      { event: exited({ exitCode: 1, stderrTail: "error: unknown option '--bogus'" }) },
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(output()).toMatchObject({ status: 'failed', attempts: 1 });
    expect(output().error).toMatchObject({ code: 'PROCESS_EXITED', exitCode: 1, retryable: false });
  });

  it('fails with a total timeout from any state and kills the process', async () => {
    const { output, log } = start(
      () => [{ event: spawned() }, { event: init() }, { afterMs: 1_000, event: assistant('slow') }],
      {
        timeouts: { totalMs: 2_500, idleMs: 60_000 },
      },
    );
    await vi.advanceTimersByTimeAsync(2_499);
    expect(log.stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(output()).toMatchObject({ status: 'failed' });
    expect(output().error).toMatchObject({
      code: 'TOTAL_TIMEOUT',
      retryable: false,
      timeoutMs: 2_500,
    });
    expect(log.stopped).toEqual([1]);
  });

  it('does not retry when the total timeout has already passed', async () => {
    const { output } = start(() => [{ event: spawned() }], {
      timeouts: { totalMs: 8_000, idleMs: 10_000 },
    });
    await vi.advanceTimersByTimeAsync(8_000);
    expect(output().error).toMatchObject({ code: 'TOTAL_TIMEOUT' });
  });

  it('is cancelled by a CANCEL event, which stops the process', async () => {
    const { actor, output, log } = start(() => [{ event: spawned() }, { event: init() }]);
    await vi.advanceTimersByTimeAsync(10);
    actor.send({ type: 'CANCEL', reason: 'user said stop' });
    expect(output()).toMatchObject({ status: 'cancelled' });
    expect(output().error).toMatchObject({ code: 'CANCELLED', retryable: false });
    expect(output().error?.message).toContain('user said stop');
    expect(log.stopped).toEqual([1]);
  });

  it('can be cancelled while waiting to retry', async () => {
    const { actor, output, log } = start(() => [
      { event: spawned() },
      { event: exited({ signal: 'SIGKILL', exitCode: undefined }) },
    ]);
    await vi.advanceTimersByTimeAsync(10);
    actor.send({ type: 'CANCEL' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(output().status).toBe('cancelled');
    expect(log.started).toEqual([1]);
  });

  it('on a supervisor shutdown, finishes the current attempt but starts no other', async () => {
    const { actor, output, log } = start((attempt) =>
      attempt === 1
        ? [
            { event: spawned() },
            { event: init() },
            { afterMs: 100, event: apiErrorResult(529, 'overloaded_error') },
            { event: exited({ exitCode: 1 }) },
          ]
        : ok,
    );
    await vi.advanceTimersByTimeAsync(10);
    actor.send({ type: '@supervisor.shutdown' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(output()).toMatchObject({ status: 'failed', attempts: 1 });
    expect(log.started).toEqual([1]);
  });

  it('on a supervisor shutdown while waiting to retry, is cancelled at once', async () => {
    const { actor, output } = start(() => [
      { event: spawned() },
      { event: exited({ signal: 'SIGKILL', exitCode: undefined }) },
    ]);
    await vi.advanceTimersByTimeAsync(10);
    actor.send({ type: '@supervisor.shutdown' });
    expect(output()).toMatchObject({ status: 'cancelled' });
    expect(output().error?.message).toContain('supervisor is shutting down');
  });

  it('continues a restart history: waits its planned delay, numbers attempts after it', async () => {
    const { output, log, states } = start(() => ok, {}, { history: restarted(2, 2_000) });
    expect(states[0]).toBe('"delaying"');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(log.started).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(log.started).toEqual([3]);
    const out = output();
    expect(out).toMatchObject({ status: 'succeeded', attempts: 3, costUsd: 0.01 });
    expect(out.attemptErrors).toHaveLength(2);
  });

  it('keeps the query deadline while delaying before a restart', async () => {
    const { output, log } = start(() => ok, {}, { history: restarted(1, 5_000, 1_000) });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(output()).toMatchObject({
      status: 'failed',
      error: { code: 'TOTAL_TIMEOUT' },
      attempts: 1,
    });
    // The timeout ended the query between attempts: an attempt error of its own.
    expect(output().attemptErrors.map((e) => e.code)).toEqual(['API_ERROR', 'TOTAL_TIMEOUT']);
    expect(log.started).toEqual([]);
  });

  it('can be cancelled while delaying, without starting a process', async () => {
    const { actor, output, log } = start(() => ok, {}, { history: restarted(1, 2_000) });
    actor.send({ type: 'CANCEL' });
    expect(output()).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(output().attemptErrors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(log.started).toEqual([]);
  });

  it("cancelled while waiting to retry, counts the failed attempt's cost once", async () => {
    const { actor, output } = start(() => overloadedOnce);
    await vi.advanceTimersByTimeAsync(500);
    actor.send({ type: 'CANCEL', reason: 'user' });
    // Before the history, the failed cost was both summed and still the current attempt's.
    expect(output()).toMatchObject({ status: 'cancelled', attempts: 1, costUsd: 0.002 });
    expect(output().attemptErrors.map((e) => e.code)).toEqual(['API_ERROR']);
  });

  it('keeps every attempt in its history, each with the backoff waited before it', async () => {
    const { actor } = start((attempt) => (attempt === 1 ? overloadedOnce : ok));
    await vi.advanceTimersByTimeAsync(1_200);
    const { history } = actor.getSnapshot().context;
    expect(history.attempts.map((a) => [a.attempt, a.outcome, a.delayMs, a.costUsd])).toEqual([
      [1, 'failed', 0, 0.002],
      [2, 'succeeded', 1_000, 0.01],
    ]);
    expect(history.attempts[1]!.durationMs).toBe(30);
  });

  describe('retryByRestart (a supervised query)', () => {
    it('plans the retry, announces it and ends failed instead of waiting', async () => {
      const { actor, output, events, log } = start(
        () => overloadedOnce,
        {},
        { retryByRestart: true },
      );
      await vi.advanceTimersByTimeAsync(20);
      expect(output()).toMatchObject({ status: 'failed', attempts: 1, error: { status: 529 } });
      expect(events.find((e) => e.type === 'query.retrying')).toMatchObject({
        attempt: 1,
        delayMs: 1000,
      });
      const { history } = actor.getSnapshot().context;
      expect(history.pendingDelayMs).toBe(1_000);
      expect(log.started).toEqual([1]);
    });

    it('the next actor continues the history: one result over both attempts', async () => {
      const first = start(() => overloadedOnce, {}, { retryByRestart: true });
      await vi.advanceTimersByTimeAsync(20);
      const history = first.actor.getSnapshot().context.history;
      const second = start(() => ok, {}, { retryByRestart: true, history });
      await vi.advanceTimersByTimeAsync(999);
      expect(second.log.started).toEqual([]);
      await vi.advanceTimersByTimeAsync(100);
      expect(second.log.started).toEqual([2]);
      const out = second.output();
      expect(out).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(out.costUsd).toBeCloseTo(0.012, 10);
      expect(out.attemptErrors).toHaveLength(1);
    });

    it('plans no retry once maxAttempts is spent', async () => {
      const { actor, output, events } = start(
        () => overloadedOnce,
        { retry: { maxAttempts: 1 } },
        { retryByRestart: true },
      );
      await vi.advanceTimersByTimeAsync(20);
      expect(output().status).toBe('failed');
      expect(events.some((e) => e.type === 'query.retrying')).toBe(false);
      expect(actor.getSnapshot().context.history.retryPending).toBe(false);
    });
  });

  it('succeeds at the result without waiting for the CLI to exit', async () => {
    const { output, log } = start(() => [
      { event: spawned() },
      { event: init() },
      { event: result() },
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(output().status).toBe('succeeded');
    // Leaving the attempt stops the process actor, which lets the CLI exit politely.
    expect(log.stopped).toEqual([1]);
  });

  it('reports protocol errors as events and carries on', async () => {
    const { output, events } = start(() => [
      { event: spawned() },
      {
        event: {
          type: 'claude.protocol_error',
          error: {
            type: 'protocol_error',
            reason: 'malformed_json',
            detail: 'x',
            sample: '{oops',
            length: 5,
          },
        },
      },
      ...ok.slice(1),
    ]);
    await vi.advanceTimersByTimeAsync(100);
    expect(output().status).toBe('succeeded');
    expect(events.find((e) => e.type === 'query.protocol_error')).toMatchObject({
      error: { reason: 'malformed_json' },
    });
  });

  it.each([
    ['error_max_turns', 'maximum number of turns'],
    ['error_max_budget_usd', 'budget'],
    ['error_during_execution', 'during execution'],
  ])('fails without retrying on a %s result', async (subtype, text) => {
    const { output, log } = start(() => [
      { event: spawned() },
      { event: result({ subtype, is_error: true }) },
      { event: exited({ exitCode: 1 }) },
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(output().error).toMatchObject({ code: 'QUERY_FAILED', subtype, retryable: false });
    expect(output().error?.message).toContain(text);
    expect(log.started).toEqual([1]);
  });

  describe('admission (rate limiter, circuit breaker, budget)', () => {
    it('waits for a permit before spawning, then reports the attempt', async () => {
      const reports: (AttemptReport | undefined)[] = [];
      const permit = fromPromise(() => new Promise((resolve) => setTimeout(resolve, 1_000)));
      const { output, log, states } = start(() => ok, {}, {}, { logic: permit, reports });
      await vi.advanceTimersByTimeAsync(999);
      expect(states).toEqual(['{"running":"waitingForPermit"}']);
      expect(log.started).toEqual([]);
      await vi.advanceTimersByTimeAsync(200);
      expect(output().status).toBe('succeeded');
      expect(reports.filter(Boolean)).toEqual([
        expect.objectContaining({ attempt: 1, outcome: { ok: true } }),
      ]);
    });

    it('ends in rejected, without a process, when admission refuses', async () => {
      const refused = new CancelledError('circuit open');
      const reports: (AttemptReport | undefined)[] = [];
      const deny = fromPromise(async () => {
        throw refused;
      });
      const { actor, output, log } = start(() => ok, {}, {}, { logic: deny, reports });
      await vi.advanceTimersByTimeAsync(1);
      expect(actor.getSnapshot().value).toBe('rejected');
      expect(output()).toMatchObject({ status: 'failed', attempts: 1 });
      expect(output().error).toBe(refused);
      expect(log.started).toEqual([]);
      expect(reports.filter(Boolean)).toEqual([]);
    });

    it("with retryByRestart, plans a refused attempt's retry no sooner than its retry-after", async () => {
      const refused = new ApiError({ status: 429, retryAfterSec: 7 }, { queryId: 'q1' });
      const deny = fromPromise(async () => {
        throw refused;
      });
      const reports: (AttemptReport | undefined)[] = [];
      const { actor, output, events } = start(
        () => ok,
        {},
        { retryByRestart: true },
        { logic: deny, reports },
      );
      await vi.advanceTimersByTimeAsync(1);
      expect(actor.getSnapshot().value).toBe('rejected');
      expect(output()).toMatchObject({ status: 'failed', attempts: 1, error: refused });
      expect(actor.getSnapshot().context.history.pendingDelayMs).toBe(7_000);
      expect(events.filter((e) => e.type === 'query.retrying')).toEqual([
        expect.objectContaining({ attempt: 1, delayMs: 7_000, error: refused }),
      ]);
    });

    it('without retryByRestart, a refused query plans no retry', async () => {
      const deny = fromPromise(async () => {
        throw new ApiError({ status: 429 });
      });
      const { actor, events } = start(() => ok, {}, {}, { logic: deny, reports: [] });
      await vi.advanceTimersByTimeAsync(1);
      expect(actor.getSnapshot().context.history.retryPending).toBe(false);
      expect(events.some((e) => e.type === 'query.retrying')).toBe(false);
    });

    it('reports a failed attempt, and a cancelled one as aborted', async () => {
      const reports: (AttemptReport | undefined)[] = [];
      const permit = fromPromise(async () => undefined);
      const { actor, output } = start(
        (attempt) =>
          attempt === 1
            ? [
                { event: spawned() },
                { event: apiErrorResult(529, 'overloaded_error') },
                { event: exited({ exitCode: 1 }) },
              ]
            : [{ event: spawned() }, { event: init() }],
        {},
        {},
        { logic: permit, reports },
      );
      await vi.advanceTimersByTimeAsync(1_100);
      actor.send({ type: 'CANCEL' });
      expect(output().status).toBe('cancelled');
      expect(reports.filter(Boolean).map((r) => [r!.attempt, r!.outcome.ok])).toEqual([
        [1, false],
        [2, 'aborted'],
      ]);
    });
  });
});

/** The history of a query whose `failed` attempts were overloaded, with a retry planned. */
function restarted(failed: number, delayMs: number, deadlineInMs?: number): QueryHistory {
  const now = Date.now();
  let history = QueryHistory.start({
    queryId: 'q1',
    startedAt: now,
    deadlineAt: deadlineInMs === undefined ? undefined : now + deadlineInMs,
  });
  for (let attempt = 1; attempt <= failed; attempt++) {
    const error = new ApiError({ status: 529 }, { queryId: 'q1', attempt });
    history = history.record({ attempt, outcome: 'failed', error });
  }
  return history.retryIn(delayMs);
}
