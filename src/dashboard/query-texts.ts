import { redactSecrets } from '../core/redaction/redact-secrets.js';
import type { DashboardText } from './dashboard-view.js';

interface TextEntry {
  raw: string;
  /** Characters cut from the front of `raw`. */
  cut: number;
  taskId: string | undefined;
  done: boolean;
}

/** Raw text kept past `maxTextChars`, so a secret cut at the front still matches in full. */
const REDACTION_MARGIN = 256;
/** Query → task links remembered for queries that have not written yet; oldest forgotten first. */
const MAX_LINKS = 1_000;

/**
 * The live text of the last `maxQueries` queries, each its last `maxTextChars` characters,
 * redacted when read. Past `maxQueries` the oldest finished query is dropped first (the oldest
 * of all when every one is still writing).
 *
 * @internal
 */
export class QueryTexts {
  readonly #texts = new Map<string, TextEntry>();
  readonly #tasks = new Map<string, string>();

  constructor(
    private readonly maxTextChars: number,
    private readonly maxQueries: number,
  ) {}

  /** Query ids, oldest first. */
  ids(): string[] {
    return [...this.#texts.keys()];
  }

  /** Adds text a query wrote; returns the queries dropped to make room. */
  append(queryId: string, text: string): string[] {
    let entry = this.#texts.get(queryId);
    const dropped: string[] = [];
    if (!entry) {
      entry = { raw: '', cut: 0, taskId: this.#tasks.get(queryId), done: false };
      this.#texts.set(queryId, entry);
      while (this.#texts.size > this.maxQueries) {
        const victim =
          [...this.#texts].find(([, e]) => e.done)?.[0] ??
          (this.#texts.keys().next().value as string);
        this.#texts.delete(victim);
        this.#tasks.delete(victim);
        dropped.push(victim);
      }
    }
    entry.raw += text;
    entry.done = false;
    const keep = this.maxTextChars + REDACTION_MARGIN;
    if (entry.raw.length > keep) {
      entry.cut += entry.raw.length - keep;
      entry.raw = entry.raw.slice(-keep);
    }
    return dropped;
  }

  /** Marks a query's text finished; whether that changed anything. */
  end(queryId: string): boolean {
    const entry = this.#texts.get(queryId);
    if (!entry || entry.done) return false;
    entry.done = true;
    return true;
  }

  /** Names the task a query runs for; whether a shown text changed. */
  link(queryId: string, taskId: string): boolean {
    this.#tasks.set(queryId, taskId);
    if (this.#tasks.size > MAX_LINKS) this.#tasks.delete(this.#tasks.keys().next().value as string);
    const entry = this.#texts.get(queryId);
    if (!entry || entry.taskId !== undefined) return false;
    entry.taskId = taskId;
    return true;
  }

  /** The text as shown: redacted before it is cut to size, so a secret at the front still matches. */
  view(queryId: string): DashboardText | undefined {
    const entry = this.#texts.get(queryId);
    if (!entry) return undefined;
    const redacted = redactSecrets(entry.raw);
    const text = redacted.slice(-this.maxTextChars);
    return {
      queryId,
      ...(entry.taskId === undefined ? {} : { taskId: entry.taskId }),
      text,
      droppedChars: entry.cut + (redacted.length - text.length),
      done: entry.done,
    };
  }
}
