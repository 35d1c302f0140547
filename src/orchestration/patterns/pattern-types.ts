import type { Observable } from 'rxjs';
import type { QueryOptions } from '../../machines/query/options/query-options.js';
import type { QueryPrompt, QueryResult } from '../../machines/query/query-types.js';
import type { Runtime } from '../../runtime/create-runtime.js';

/** What a pattern needs of a runtime: patterns never spawn processes themselves. */
export type QueryRunner = Pick<Runtime, 'query'>;

/** One Claude task of a pattern. */
export interface PatternTask {
  /** Names the task in progress events and results. @defaultValue its index */
  readonly id?: string;
  readonly prompt: QueryPrompt;
  readonly options?: QueryOptions;
  readonly tags?: readonly string[];
}

/** Progress of a pattern, one event per thing that happened. */
export type PatternEvent =
  | {
      readonly type: 'task.started';
      readonly id: string;
      readonly index: number;
      readonly at: number;
    }
  | {
      readonly type: 'task.finished';
      readonly id: string;
      readonly index: number;
      readonly at: number;
      readonly result: QueryResult;
    }
  | {
      readonly type: 'task.skipped';
      readonly id: string;
      readonly index: number;
      readonly reason: string;
    }
  | {
      readonly type: 'task.retrying';
      readonly id: string;
      readonly attempt: number;
      readonly reason: string;
    }
  | { readonly type: 'batch.started'; readonly batch: number; readonly ids: readonly string[] }
  | { readonly type: 'batch.finished'; readonly batch: number; readonly ids: readonly string[] };

/** A running pattern: a promise of its outcome and an observable of its progress. */
export interface PatternRun<R> {
  /** Settles with the outcome; never rejects (failures are in the outcome). */
  readonly result: Promise<R>;
  /** Progress events; replays to late subscribers; completes when the pattern ends. */
  readonly progress$: Observable<PatternEvent>;
  /** Cancels what runs and what has not started yet. */
  cancel(reason?: unknown): void;
}
