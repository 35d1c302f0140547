import type { SimReply } from './sim-reply.js';
import type { SimRequest } from './sim-request.js';
import type { SimMatch } from './sim-rule.js';

/**
 * A running local Messages API server; see {@link createSimulator}.
 *
 * Reply precedence for each `POST /v1/messages`: the oldest {@link Simulator.enqueue | queued}
 * reply, else the first rule that matches and is not exhausted (`options.rules` first, then
 * rules added with {@link Simulator.on}, in order), else the default reply.
 */
export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:43117`; give it to the CLI as `ANTHROPIC_BASE_URL`. */
  readonly url: string;
  /** The bound TCP port. */
  readonly port: number;
  /** Recorded `POST /v1/messages` requests, oldest first. */
  readonly requests: readonly SimRequest[];
  /**
   * Environment that points the CLI at this server: `ANTHROPIC_BASE_URL`, `ANTHROPIC_API_KEY`
   * (`sk-sim-local`), `DISABLE_TELEMETRY=1`, `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`.
   */
  env(): Record<string, string>;
  /**
   * Queues one-shot replies, consumed in order by the next requests (before any rule), whatever
   * their prompt: `enqueue(toolUse(...), text('done'))` scripts a whole tool round trip.
   *
   * @throws {@link InvalidOptionsError} for a malformed reply.
   */
  enqueue(...replies: SimReply[]): this;
  /**
   * Adds a rule. An array of replies answers successive matching requests in order; its last
   * reply repeats unless `times` limits how many requests the rule answers.
   *
   * @throws {@link InvalidOptionsError} for a malformed reply.
   */
  on(match: SimMatch, reply: SimReply | readonly SimReply[], options?: { times?: number }): this;
  /** Clears the queue, the rules added with `on`, the recorded requests and rule use counts. */
  reset(): void;
  /**
   * Resolves once at least `n` requests are recorded.
   *
   * @param timeoutMs - how long to wait; @defaultValue `5000`
   * @throws Error when the time runs out or the simulator closes first.
   */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Number of open TCP connections (keep-alive, streaming or hanging). */
  activeConnections(): number;
  /** Stops the server and destroys every open connection, hanging ones included. Idempotent. */
  close(): Promise<void>;
}
