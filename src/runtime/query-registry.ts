/**
 * @internal The queries a runtime is running, by query id and by the supervisor child id of
 * the instance running each (set when the supervisor starts it). Kept in start order.
 */
export class QueryRegistry<Query extends { readonly queryId: string }> {
  readonly #byQueryId = new Map<string, { readonly query: Query; childId?: string }>();
  readonly #byChildId = new Map<string, Query>();

  /** Registers a query about to be started. */
  add(query: Query): void {
    this.#byQueryId.set(query.queryId, { query });
  }

  /** The running query with this id. */
  get(queryId: string): Query | undefined {
    return this.#byQueryId.get(queryId)?.query;
  }

  /** Binds the supervisor's child id of the query's instance; ignored for an unknown query. */
  bindChild(childId: string, query: Query): void {
    const entry = this.#byQueryId.get(query.queryId);
    if (entry?.query !== query) return;
    entry.childId = childId;
    this.#byChildId.set(childId, query);
  }

  /** The query a supervisor child id runs. */
  byChild(childId: string): Query | undefined {
    return this.#byChildId.get(childId);
  }

  /** Forgets a query that ended, under both keys. */
  remove(query: Query): void {
    const entry = this.#byQueryId.get(query.queryId);
    if (entry?.query !== query) return;
    this.#byQueryId.delete(query.queryId);
    if (entry.childId !== undefined) this.#byChildId.delete(entry.childId);
  }

  /** The running queries, in start order. */
  list(): Query[] {
    return [...this.#byQueryId.values()].map((entry) => entry.query);
  }

  /** How many queries are running. */
  get size(): number {
    return this.#byQueryId.size;
  }
}
