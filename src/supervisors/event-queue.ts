/**
 * @internal A first-in first-out queue whose `shift` is O(1) at any length. `Array#shift`
 * moves every remaining element once the array is large, so draining 100,000 deferred
 * events (or termination batches) with it would be quadratic.
 */
export class EventQueue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  constructor(items: readonly T[] = []) {
    this.#items = [...items];
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head += 1;
    // Drop the consumed prefix once it is most of the array: amortised O(1), bounded memory.
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
