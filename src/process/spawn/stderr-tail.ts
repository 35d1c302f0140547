/**
 * Keeps the last `maxBytes` of a stream (a CLI's stderr), so an error can say what the process
 * said before it died without holding an unbounded log in memory.
 */
export class StderrTail {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #dropped = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.#chunks.push(buffer);
    this.#bytes += buffer.length;
    while (this.#bytes > this.#maxBytes && this.#chunks.length > 0) {
      const first = this.#chunks[0]!;
      const excess = this.#bytes - this.#maxBytes;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#bytes -= first.length;
        this.#dropped += first.length;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#bytes -= excess;
        this.#dropped += excess;
      }
    }
  }

  /** The kept text, prefixed with `…` when older output was dropped. */
  toString(): string {
    const text = Buffer.concat(this.#chunks).toString('utf8');
    return this.#dropped > 0 ? `…${text}` : text;
  }
}
