import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { issuesOf } from '../core/validation/issues-of.js';
import { renderValue } from '../core/validation/render-value.js';
import { safeValidate } from '../core/validation/validate.js';
import { estimateTokens } from './assistant-message.js';
import { MessagesBodySchema, summarizeRequest } from './request-summary.js';
import { sendError, serveReply } from './serve-reply.js';
import type { SimReply } from './sim-reply.js';
import type { SimRequest } from './sim-request.js';
import { RuleState, type SimMatch, type SimRule } from './sim-rule.js';
import type { Simulator } from './simulator.js';
import { silentLogger } from './simulator-logger.js';
import {
  type ResolvedSimulatorOptions,
  resolveSimulatorOptions,
  type SimulatorOptions,
  validateReplies,
} from './simulator-options.js';
import { structuredOutputReply } from './structured-output-reply.js';

/** The API key put in {@link Simulator.env}; the simulator accepts any key. */
export const SIMULATOR_API_KEY = 'sk-sim-local';

/** Larger bodies are refused with 413: the CLI's requests are ~50 kB. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`Request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

class LocalSimulator implements Simulator {
  readonly requests: SimRequest[] = [];
  private readonly queue: SimReply[] = [];
  private readonly baseRules: RuleState[];
  private addedRules: RuleState[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Set<AbortController>();
  private readonly events = new EventEmitter();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly server: Server,
    private readonly options: ResolvedSimulatorOptions,
  ) {
    this.baseRules = options.rules.map((rule) => new RuleState(rule));
    this.events.setMaxListeners(0);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.options.logger?.warn({ err: error, path: req.url }, 'simulator failed to answer');
        if (!res.headersSent) sendError(res, 500, 'api_error', 'Simulator internal error');
        else res.destroy();
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  env(): Record<string, string> {
    return {
      ANTHROPIC_BASE_URL: this.url,
      ANTHROPIC_API_KEY: SIMULATOR_API_KEY,
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    };
  }

  enqueue(...replies: SimReply[]): this {
    this.queue.push(...validateReplies(replies));
    return this;
  }

  on(match: SimMatch, reply: SimReply | readonly SimReply[], options?: { times?: number }): this {
    if (typeof match !== 'string' && !(match instanceof RegExp) && typeof match !== 'function') {
      throw new TypeError(
        `Expected the rule's match to be a string, a RegExp or a function, got ${renderValue(match)}`,
      );
    }
    const times = options?.times;
    if (times !== undefined && (!Number.isInteger(times) || times < 1)) {
      throw new RangeError(
        `Expected the rule's \`times\` to be a positive integer, got ${renderValue(times)}`,
      );
    }
    const list = Array.isArray(reply) ? reply : [reply];
    if (list.length === 0) throw new RangeError('Expected at least one reply for the rule');
    const replies = validateReplies(list);
    const rule: SimRule = { match, reply: Array.isArray(reply) ? replies : replies[0]!, times };
    this.addedRules.push(new RuleState(rule));
    return this;
  }

  reset(): void {
    this.queue.length = 0;
    this.addedRules = [];
    this.requests.length = 0;
    for (const rule of this.baseRules) rule.rewind();
  }

  waitForRequests(n: number, timeoutMs = 5000): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.requests.length < n) return;
        cleanup();
        resolve();
      };
      const fail = (why: string): void => {
        cleanup();
        reject(
          new Error(`Expected ${n} request(s) to /v1/messages ${why}, got ${this.requests.length}`),
        );
      };
      const onClose = (): void => fail('before the simulator closed');
      const timer = setTimeout(() => fail(`within ${timeoutMs} ms`), timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('request', check);
        this.events.off('close', onClose);
      };
      this.events.on('request', check);
      this.events.on('close', onClose);
    });
  }

  activeConnections(): number {
    return this.sockets.size;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.events.emit('close');
      for (const controller of this.inFlight) controller.abort();
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      const sockets = [...this.sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.once('close', () => resolve());
            socket.destroy();
          }),
      );
      await Promise.all([stopped, ...sockets]);
    })();
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const pathname = new URL(path, 'http://simulator.invalid').pathname;
    const method = req.method ?? 'GET';
    const logger = this.options.logger ?? silentLogger;
    if (method === 'HEAD') {
      // Connectivity probes: `HEAD /`, and `HEAD /api/hello` unless nonessential traffic is off.
      logger.debug({ method, path }, 'simulator answered a HEAD probe');
      res.writeHead(200).end();
      return;
    }
    if (method !== 'POST' || !pathname.startsWith('/v1/messages')) {
      logger.debug({ method, path }, 'simulator has no route');
      sendError(res, 404, 'not_found_error', `The simulator has no route for ${method} ${path}`);
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendError(res, 413, 'request_too_large', error.message);
        return;
      }
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      sendError(res, 400, 'invalid_request_error', `The request body of ${path} is not JSON`);
      return;
    }
    if (pathname === '/v1/messages/count_tokens') {
      logger.debug({ method, path }, 'simulator counted tokens');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: estimateTokens(raw) }));
      return;
    }
    if (pathname !== '/v1/messages') {
      sendError(res, 404, 'not_found_error', `The simulator has no route for ${method} ${path}`);
      return;
    }
    const body = safeValidate(MessagesBodySchema, json);
    if (!body.success) {
      const issue = issuesOf(body.error, json)[0];
      const field = issue?.path || '(body)';
      sendError(
        res,
        400,
        'invalid_request_error',
        `${field}: ${issue?.message ?? 'invalid request body'}`,
      );
      return;
    }
    const request = summarizeRequest({
      method,
      path,
      headers: req.headers,
      body: body.data,
      at: Date.now(),
    });
    this.requests.push(request);
    const reply = this.chooseReply(request);
    logger.debug(
      { path, model: request.model, stream: request.stream, reply: reply.kind },
      'simulator answering',
    );
    this.options.onRequest?.(request, reply);
    this.events.emit('request', request);

    const controller = new AbortController();
    this.inFlight.add(controller);
    // `close` fires on completion and when the client goes away: stop any pending delay.
    res.once('close', () => controller.abort());
    if (this.closing) controller.abort();
    try {
      await serveReply(res, reply, {
        request,
        timing: this.options,
        signal: controller.signal,
      });
    } finally {
      this.inFlight.delete(controller);
    }
  }

  private chooseReply(request: SimRequest): SimReply {
    const queued = this.queue.shift();
    if (queued) return queued;
    for (const rule of [...this.baseRules, ...this.addedRules]) {
      const reply = rule.take(request);
      if (reply) return reply;
    }
    const fallback = this.options.defaultReply;
    if (fallback && !(request.hasToolResult && fallback.kind === 'tool_use')) return fallback;
    const structured = structuredOutputReply(request);
    if (structured) return structured;
    return { kind: 'text', text: `Simulated reply to: ${request.prompt}` };
  }
}

/**
 * Starts a local HTTP server that speaks the Anthropic Messages API (SSE streaming, JSON, errors)
 * well enough for the real `claude` CLI to run against it offline.
 *
 * Routes: `HEAD` on any path (200; CLI 2.1.330 probes `HEAD /api/hello` unless
 * `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC` is set, and sends nothing else besides
 * `POST /v1/messages?beta=true` with `stream: true`), `POST /v1/messages` (recorded, answered
 * with a scripted {@link SimReply}), `POST /v1/messages/count_tokens` (`{ input_tokens }`, an
 * estimate); anything else gets a 404 in the Anthropic error format.
 *
 * Tool calls and permissions, as observed with CLI 2.1.330 in `-p` mode running as root (where
 * `--dangerously-skip-permissions` is refused), with no permission flags: `Read` of a file inside
 * the working directory runs without asking; read-only `Bash` commands (`echo hi`) run too.
 * `Read` outside the working directory, `Write`, and `Bash` commands that change files
 * (`touch x`) are refused: the tool result is an `is_error` "…haven't granted it yet" /
 * "…needs approval" text and the `result` lists them in `permission_denials`. They run with
 * `--allowedTools Write` (per tool) or `--permission-mode acceptEdits`. Either way the CLI then
 * sends a follow-up request whose last user message carries the `tool_result`
 * ({@link SimRequest.hasToolResult}); it gets the default text reply unless a queued reply or a
 * function rule answers it.
 *
 * Reply order: a queued reply, else the first matching rule, else `defaultReply`, else — when
 * the request offers the `StructuredOutput` tool (a `--json-schema` query) and is not the
 * follow-up of that call — a `StructuredOutput` call with a value generated from its schema,
 * else an echo of the prompt as text.
 *
 * @throws {@link InvalidOptionsError} for invalid options; an Error with the port when listening
 * fails.
 * @example
 * const sim = await createSimulator();
 * sim.on('weather', text('Sunny.')).on(/busy/, apiError(529));
 * sim.enqueue(toolUse('Read', { file_path: `${cwd}/notes.txt` }), text('Read it.'));
 * spawn(claudePath, ['-p', 'hi'], { env: { ...process.env, ...sim.env(), HOME: tmpHome } });
 * await sim.close();
 */
export async function createSimulator(options?: SimulatorOptions): Promise<Simulator> {
  const resolved = resolveSimulatorOptions(options);
  const server = createServer();
  // Streams can stay open for minutes in hang tests; never let Node time them out.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 5000;
  const simulator = new LocalSimulator(server, resolved);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new Error(
          `The simulator could not listen on 127.0.0.1:${resolved.port}: ${error.message}`,
          {
            cause: error,
          },
        ),
      );
    };
    server.once('error', onError);
    server.listen(resolved.port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  (resolved.logger ?? silentLogger).debug({ url: simulator.url }, 'simulator listening');
  return simulator;
}
