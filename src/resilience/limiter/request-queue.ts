/** An entry of the {@link RequestQueue}. @internal */
export interface QueuedRequest {
  readonly requestId: string;
  readonly priority: number;
  /** Token estimate for the tokens-per-minute budget. */
  readonly tokens: number;
  /** When it was queued (epoch ms). */
  readonly queuedAt: number;
}

/**
 * Waiting requests: higher priority first, first-in first-out within a priority. Removal by id
 * is O(1) (lazy: a removed entry is skipped when it reaches the head), so cancelling one of
 * 10,000 waiting requests costs nothing.
 * @internal
 */
export class RequestQueue {
  /** Per priority, entries in arrival order from `head`. */
  readonly #lanes = new Map<number, { items: QueuedRequest[]; head: number }>();
  /** Priorities that have a lane, highest first. */
  #priorities: number[] = [];
  readonly #byId = new Map<string, QueuedRequest>();

  /** Requests waiting. */
  get size(): number {
    return this.#byId.size;
  }

  /** Whether `requestId` is waiting. */
  has(requestId: string): boolean {
    return this.#byId.has(requestId);
  }

  /** Queues a request behind every other of its priority. */
  push(request: QueuedRequest): void {
    this.#byId.set(request.requestId, request);
    let lane = this.#lanes.get(request.priority);
    if (!lane) {
      lane = { items: [], head: 0 };
      this.#lanes.set(request.priority, lane);
      this.#priorities.push(request.priority);
      this.#priorities.sort((a, b) => b - a);
    }
    lane.items.push(request);
  }

  /** The request to admit next, without removing it. */
  peek(): QueuedRequest | undefined {
    while (this.#priorities.length > 0) {
      const priority = this.#priorities[0]!;
      const lane = this.#lanes.get(priority)!;
      while (lane.head < lane.items.length) {
        const item = lane.items[lane.head]!;
        if (this.#byId.get(item.requestId) === item) return item;
        lane.head += 1;
      }
      // Every entry of the top lane was cancelled: drop it.
      this.#lanes.delete(priority);
      this.#priorities.shift();
    }
    return undefined;
  }

  /** Removes and returns the request to admit next. */
  shift(): QueuedRequest | undefined {
    const item = this.peek();
    if (item) this.remove(item.requestId);
    return item;
  }

  /** Removes a waiting request; `false` if it was not waiting. */
  remove(requestId: string): boolean {
    const item = this.#byId.get(requestId);
    if (!item) return false;
    this.#byId.delete(requestId);
    const lane = this.#lanes.get(item.priority)!;
    if (lane.items[lane.head] === item) lane.head += 1;
    this.#compact(item.priority, lane);
    return true;
  }

  /** Removes every request, returning them in admission order. */
  drain(): QueuedRequest[] {
    const all: QueuedRequest[] = [];
    for (let item = this.shift(); item; item = this.shift()) all.push(item);
    return all;
  }

  #compact(priority: number, lane: { items: QueuedRequest[]; head: number }): void {
    if (lane.head >= lane.items.length) {
      // Only drop an empty lane once no live entry of it remains.
      this.#lanes.delete(priority);
      this.#priorities = this.#priorities.filter((p) => p !== priority);
    } else if (lane.head > 1024 && lane.head * 2 > lane.items.length) {
      lane.items = lane.items.slice(lane.head);
      lane.head = 0;
    }
  }
}
