import { z } from 'zod';
import { validate } from '../core/validation/validate.js';
import { STATELY_INSPECTOR_URL } from './bridge-page.js';
import type { InspectorLogger } from './inspector-logger.js';

/** Hosts {@link exposeInspector} may bind: loopback only. */
export type LoopbackHost = '127.0.0.1' | '::1' | 'localhost';

/** Options of {@link exposeInspector}. */
export interface ExposeInspectorOptions {
  /**
   * TCP port of the WebSocket (and viewer page) server.
   *
   * @defaultValue `0` (a free port; read it from {@link ExposedInspector.url})
   */
  port?: number;
  /**
   * Loopback address to bind. `localhost` binds `127.0.0.1`. Any other value is rejected: the
   * event stream holds prompts, tool input and results, and must not leave the machine.
   *
   * @defaultValue `'127.0.0.1'`
   */
  host?: LoopbackHost;
  /**
   * Events kept and replayed to every client that connects, so a viewer that connects late
   * still sees the tree; the oldest are dropped first. The registrations of actors still alive
   * are replayed even once dropped (so `0` replays just the live actors). What was dropped is
   * counted ({@link ExposedInspector.bufferStats}, the viewer page, `/events.json`).
   *
   * @defaultValue `10_000`
   */
  maxBufferedEvents?: number;
  /**
   * The inspector UI the viewer page frames and feeds: an `http(s)` URL, e.g. a self-hosted
   * copy of the Stately inspector for machines without internet access. It must answer the
   * `@statelyai.connected` handshake (as the Stately UI does) to receive events.
   *
   * @defaultValue `'https://stately.ai/inspect'` ({@link STATELY_INSPECTOR_URL}; needs internet)
   */
  inspectorUrl?: string;
  /** A pino-like logger; silent when absent. */
  logger?: InspectorLogger;
}

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'] as const;

const OptionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).default(0),
  host: z
    .enum(LOOPBACK_HOSTS, {
      error:
        'expected a loopback host ("127.0.0.1", "::1" or "localhost"); ' +
        'the inspector never binds other interfaces',
    })
    .default('127.0.0.1'),
  maxBufferedEvents: z.number().int().nonnegative().default(10_000),
  inspectorUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL of the inspector UI' })
    .default(STATELY_INSPECTOR_URL),
  logger: z
    .custom<InspectorLogger>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        ['debug', 'warn'].every(
          (name) => typeof (value as Record<string, unknown>)[name] === 'function',
        ),
      { message: 'expected a logger with debug and warn methods' },
    )
    .optional(),
});

/** Options after validation and defaults. @internal */
export type ResolvedExposeInspectorOptions = z.output<typeof OptionsSchema>;

/**
 * Validates options once, at the public boundary.
 *
 * @throws {@link InvalidOptionsError} naming the option and the value received.
 * @internal
 */
export function resolveExposeInspectorOptions(
  options: ExposeInspectorOptions = {},
): ResolvedExposeInspectorOptions {
  return validate(OptionsSchema, options, { what: 'inspector option' });
}
