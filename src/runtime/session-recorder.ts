import { drainGrowingChain } from '../core/async/drain-growing-chain.js';
import type { ClaudeActorsError } from '../core/errors/claude-actors-error.js';
import type { Logger } from '../core/logging/create-logger.js';
import { usageOf } from '../machines/query/history/attempt-record.js';
import type { QueryPrompt, QueryResult } from '../machines/query/query-types.js';
import type { Session, SessionPrompt } from '../machines/session/session.js';
import type { SessionOutput } from '../machines/session/session-types.js';
import type { CliMessage } from '../protocol/cli-message.js';
import { isResultMessage, isSystemInit } from '../protocol/cli-message-guards.js';
import {
  NO_TOKENS,
  type SessionRecord,
  type SessionTokens,
} from '../store/sessions/session-record.js';
import type { SessionStore } from '../store/sessions/session-store.js';
import type { RuntimeQueryHandle } from './runtime-query-types.js';

/** The text of a prompt: a string, or the text blocks of a content-block prompt. */
function promptText(prompt: QueryPrompt | SessionPrompt): string {
  if (typeof prompt === 'string') return prompt;
  return prompt
    .flatMap((block) =>
      block.type === 'text' && typeof block.text === 'string' ? [block.text] : [],
    )
    .join('\n');
}

function addTokens(a: SessionTokens, b: SessionTokens): SessionTokens {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
  };
}

/** What a record starts from before the CLI names its session. */
type Draft = Omit<SessionRecord, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * @internal Records a runtime's queries and sessions in a {@link SessionStore}: at the CLI's
 * `system/init` (the session id, model and cwd), at each turn's result (turns, cost, tokens)
 * and at the end (status, error code). Writes go one after the other; a write that fails is
 * logged and never reaches the query or session. A query that ends before its CLI named a
 * session is not recorded (there is nothing to resume).
 */
export class SessionRecorder {
  readonly #store: SessionStore;
  readonly #log: Logger | undefined;
  readonly #now: () => number;
  #writes: Promise<void> = Promise.resolve();

  constructor(
    store: SessionStore,
    options: { logger?: Logger | undefined; now?: () => number } = {},
  ) {
    this.#store = store;
    this.#log = options.logger?.child({ component: 'session-recorder' });
    this.#now = options.now ?? Date.now;
  }

  /** Records a query of `runtime.query`; returns the handle as it is. */
  query(
    handle: RuntimeQueryHandle,
    prompt: QueryPrompt,
    model: string | undefined,
  ): RuntimeQueryHandle {
    const entry = this.#entry({
      kind: 'query',
      key: handle.queryId,
      tags: handle.tags,
      model,
      cwd: undefined,
      turns: 0,
      costUsd: 0,
      tokens: NO_TOKENS,
      status: 'running',
      firstPrompt: promptText(prompt),
      errorCode: undefined,
    });
    // Each attempt is a CLI of its own: its result's cost and usage are that attempt's.
    let earlierCost = 0;
    let earlierTokens = NO_TOKENS;
    let attemptCost = 0;
    let attemptTokens = NO_TOKENS;
    handle.events$.subscribe((event) => {
      if (event.type === 'query.spawned') {
        earlierCost += attemptCost;
        earlierTokens = addTokens(earlierTokens, attemptTokens);
        attemptCost = 0;
        attemptTokens = NO_TOKENS;
      } else if (event.type === 'query.message') {
        const message = event.message;
        if (isResultMessage(message)) {
          attemptCost = message.total_cost_usd ?? 0;
          attemptTokens = usageOf(message);
          entry.update({
            turns: message.num_turns ?? entry.draft.turns,
            costUsd: earlierCost + attemptCost,
            tokens: addTokens(earlierTokens, attemptTokens),
          });
        } else this.#onInit(entry, message);
      }
    });
    void handle.result.then((result: QueryResult) => {
      if (result.sessionId) entry.named(result.sessionId);
      entry.update({
        status: result.status,
        turns: result.numTurns,
        costUsd: result.costUsd,
        // The result's usage is its last attempt's; the record's counts every attempt, as its cost.
        tokens: addTokens(earlierTokens, attemptTokens),
        errorCode: result.error?.code,
      });
    });
    return handle;
  }

  /**
   * Records a session of `runtime.session`. Its first prompt is read from `send` (and so from
   * `input`), which is wrapped on the session object itself: the handle keeps its private
   * state, so it cannot be proxied.
   */
  session(session: Session, model: string | undefined): Session {
    const entry = this.#entry({
      kind: 'session',
      key: session.key,
      tags: [],
      model,
      cwd: undefined,
      turns: 0,
      costUsd: 0,
      tokens: NO_TOKENS,
      status: 'running',
      firstPrompt: '',
      errorCode: undefined,
    });
    const send = session.send.bind(session);
    let first = true;
    session.send = (prompt) => {
      if (first) {
        first = false;
        entry.update({ firstPrompt: promptText(prompt) });
      }
      return send(prompt);
    };
    let tokens = NO_TOKENS;
    session.messages$.subscribe((message) => {
      if (isResultMessage(message)) tokens = addTokens(tokens, usageOf(message));
      else this.#onInit(entry, message);
    });
    session.lifecycle$.subscribe((event) => {
      if (event.type === 'session.id_assigned') entry.named(event.sessionId);
      else if (event.type === 'turn.completed') {
        entry.update({ turns: entry.draft.turns + 1, costUsd: event.totalCostUsd, tokens });
      } else if (event.type === 'session.closed') {
        entry.update(this.#sessionEnd(event.output, tokens));
      }
    });
    return session;
  }

  /**
   * Resolves once every write has been made (or has failed and been logged), those asked for
   * while it waits included: it waits until the queue stops growing.
   */
  async idle(): Promise<void> {
    await drainGrowingChain(() => this.#writes);
  }

  #sessionEnd(output: SessionOutput, tokens: SessionTokens): Partial<Draft> {
    const error: ClaudeActorsError | undefined =
      output.status === 'failed' ? output.error : undefined;
    return {
      status: output.status,
      costUsd: output.totalCostUsd,
      tokens,
      errorCode: error?.code,
    };
  }

  #onInit(entry: RecordEntry, message: CliMessage): void {
    if (!isSystemInit(message)) return;
    entry.update({
      model: message.model ?? entry.draft.model,
      cwd: message.cwd ?? entry.draft.cwd,
    });
    entry.named(message.session_id);
  }

  #entry(draft: Draft): RecordEntry {
    return new RecordEntry(draft, this.#now, (write) => this.#enqueue(write));
  }

  #enqueue(write: (store: SessionStore) => Promise<unknown>): void {
    this.#writes = this.#writes.then(async () => {
      try {
        await write(this.#store);
      } catch (error) {
        this.#log?.error(
          { err: error },
          'the session store failed to record a session; the session goes on',
        );
      }
    });
  }
}

/** One recorded query or session: its draft, and the id it is stored under once known. */
class RecordEntry {
  draft: Draft;
  #id: string | undefined;
  #createdAt: number | undefined;
  /** The record of an earlier run this one continues (`resume` of a recorded session). */
  #earlier: SessionRecord | undefined;

  constructor(
    draft: Draft,
    private readonly now: () => number,
    private readonly enqueue: (write: (store: SessionStore) => Promise<unknown>) => void,
  ) {
    this.draft = draft;
  }

  /**
   * The CLI named its session: the record is stored under that id. A new id (a retry starts a
   * new CLI session) moves the record, so the id kept is the one to resume. A first id that is
   * already recorded (a resumed session) continues that record: its creation, first prompt
   * and tags stay, turns, cost and tokens add up.
   */
  named(id: string): void {
    if (id === this.#id) return;
    const previous = this.#id;
    this.#id = id;
    this.#createdAt ??= this.now();
    if (previous === undefined) {
      this.enqueue(async (store) => {
        this.#earlier = await store.get(id);
      });
    } else this.enqueue((store) => store.delete(previous));
    this.#write();
  }

  update(change: Partial<Draft>): void {
    this.draft = { ...this.draft, ...change };
    this.#write();
  }

  #write(): void {
    const id = this.#id;
    const createdAt = this.#createdAt;
    if (id === undefined || createdAt === undefined) return;
    const record: SessionRecord = { ...this.draft, id, createdAt, updatedAt: this.now() };
    // Built when the write runs, after the look-up of an earlier record that it continues.
    this.enqueue((store) => store.put(this.#continued(record)));
  }

  #continued(record: SessionRecord): SessionRecord {
    const earlier = this.#earlier;
    if (!earlier || earlier.id !== record.id) return record;
    return {
      ...record,
      createdAt: earlier.createdAt,
      firstPrompt: earlier.firstPrompt || record.firstPrompt,
      tags: [...new Set([...earlier.tags, ...record.tags])],
      turns: earlier.turns + record.turns,
      costUsd: earlier.costUsd + record.costUsd,
      tokens: addTokens(earlier.tokens, record.tokens),
    };
  }
}
