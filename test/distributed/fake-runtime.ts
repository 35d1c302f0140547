import { randomUUID } from 'node:crypto';
import { ReplaySubject } from 'rxjs';
import { CancelledError } from '../../src/core/errors/cancelled-error.js';
import type { QueryOptions } from '../../src/machines/query/options/query-options.js';
import type { QueryPrompt, QueryResult } from '../../src/machines/query/query-types.js';
import type { CliMessage } from '../../src/protocol/cli-message.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import type {
  RuntimeQueryHandle,
  RuntimeQueryOptions,
} from '../../src/runtime/runtime-query-types.js';

/** A query the fake runtime was asked to run, with the means to end it. */
export interface FakeQuery {
  readonly prompt: QueryPrompt;
  readonly options: QueryOptions;
  readonly runtimeOptions: RuntimeQueryOptions;
  readonly sessionId: string;
  /** Ends it succeeded with `text`. */
  succeed(text: string, costUsd?: number): void;
  fail(error: Error): void;
  readonly result: Promise<QueryResult>;
}

/** A stand-in for a runtime (no CLI): every query waits until the test ends it, or its signal. */
export function fakeRuntime(
  behaviour: { autoSucceed?: (prompt: QueryPrompt) => string | undefined } = {},
) {
  const queries: FakeQuery[] = [];
  const waiters: Array<() => void> = [];
  let stopped = 0;
  const runtime = {
    query(
      prompt: QueryPrompt,
      options: QueryOptions = {},
      runtimeOptions: RuntimeQueryOptions = {},
    ): RuntimeQueryHandle {
      const messages = new ReplaySubject<CliMessage>();
      const sessionId = options.resume ?? randomUUID();
      let settle!: (r: QueryResult) => void;
      const result = new Promise<QueryResult>((resolve) => {
        settle = resolve;
      });
      let done = false;
      const end = (
        status: QueryResult['status'],
        text?: string,
        error?: Error,
        costUsd = 0,
      ): void => {
        if (done) return;
        done = true;
        settle({
          status,
          queryId: runtimeOptions.queryId ?? 'q',
          text,
          structuredOutput: undefined,
          sessionId,
          costUsd,
          usage: {
            inputTokens: 1,
            outputTokens: 2,
            cacheReadInputTokens: 0,
            cacheCreationInputTokens: 0,
          },
          numTurns: 1,
          durationMs: 5,
          durationApiMs: 1,
          attempts: 1,
          error: error as QueryResult['error'],
          attemptErrors: [],
          raw: undefined,
        });
        messages.complete();
      };
      runtimeOptions.signal?.addEventListener('abort', () =>
        end('cancelled', undefined, new CancelledError(runtimeOptions.signal?.reason)),
      );
      queueMicrotask(() =>
        messages.next({ type: 'system', subtype: 'init', session_id: sessionId } as CliMessage),
      );
      const query: FakeQuery = {
        prompt,
        options,
        runtimeOptions,
        sessionId,
        succeed: (text, costUsd) => end('succeeded', text, undefined, costUsd),
        fail: (error) => end('failed', undefined, error),
        result,
      };
      queries.push(query);
      for (const w of waiters.splice(0)) w();
      const auto = behaviour.autoSucceed?.(prompt);
      if (auto !== undefined) setTimeout(() => query.succeed(auto), 5);
      return {
        queryId: runtimeOptions.queryId ?? 'q',
        tags: runtimeOptions.tags ?? [],
        events$: messages as never,
        messages$: messages.asObservable(),
        result,
        actor: () => undefined,
        cancel: (reason?: unknown) => end('cancelled', undefined, new CancelledError(reason)),
      };
    },
    async stop() {
      stopped += 1;
    },
  };
  return {
    runtime: runtime as unknown as Runtime,
    queries,
    get stopped() {
      return stopped;
    },
    /** Resolves once `n` queries were started. */
    async started(n: number, timeoutMs = 10_000): Promise<FakeQuery[]> {
      const deadline = Date.now() + timeoutMs;
      while (queries.length < n) {
        if (Date.now() > deadline)
          throw new Error(`only ${queries.length} of ${n} queries started`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return queries.slice(0, n);
    },
  };
}
