import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/core/logging/create-logger.js';
import { redactSecrets } from '../../src/core/redaction/redact-secrets.js';
import {
  clearKnownSecrets,
  MAX_KNOWN_SECRETS,
  registerSecrets,
  scrubKnownSecrets,
} from '../../src/core/redaction/secret-registry.js';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { parseQueryOptions } from '../../src/machines/query/options/parse-options.js';
import { buildEnv } from '../../src/process/spawn/build-env.js';
import type { ClaudeProcess, SpawnClaudeOptions } from '../../src/process/spawn/spawn-claude.js';
import { protocolError } from '../../src/protocol/protocol-event.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';

/** Canaries no pattern recognises: only scrubbing by value can remove them. */
const API_KEY = 'canary-apikey-7f3a9c';
const TOKEN = 'canary-token-51be02';
const HOST_SECRET = 'canary-host-c0ffee';
const CANARIES = [API_KEY, TOKEN, HOST_SECRET];

function expectNoCanary(channel: string, text: string): void {
  for (const canary of CANARIES) {
    expect(text.includes(canary), `${channel} leaks ${canary}`).toBe(false);
  }
}

/** A fake CLI that echoes every secret it was given on stdout (garbage and result) and stderr. */
function echoingSpawn() {
  let pid = 3_000_000;
  return (options: SpawnClaudeOptions): ClaudeProcess => {
    let settle!: (info: { exitCode: number; signal: undefined; stderrTail: string }) => void;
    const exited = new Promise<{ exitCode: number; signal: undefined; stderrTail: string }>(
      (resolve) => {
        settle = resolve;
      },
    );
    const leaked = Object.values(options.env ?? {})
      .filter((v) => CANARIES.includes(v))
      .join(' ');
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    return {
      pid: pid++,
      exited,
      write() {
        setTimeout(() => {
          options.onStdout(
            Buffer.from(
              `not json ${leaked}\n` +
                line({ type: 'system', subtype: 'init', session_id: 's', tools: [], model: 'm' }) +
                line({
                  type: 'result',
                  subtype: 'success',
                  is_error: true,
                  result: `API Error: 401 invalid x-api-key ${leaked}`,
                  terminal_reason: 'api_error',
                  api_error_status: 401,
                  session_id: 's',
                  total_cost_usd: 0,
                  num_turns: 1,
                  duration_ms: 1,
                  duration_api_ms: 1,
                  usage: { input_tokens: 1, output_tokens: 1 },
                }),
            ),
          );
          setTimeout(() =>
            settle({ exitCode: 1, signal: undefined, stderrTail: `auth ${leaked}` }),
          );
        }, 5);
        return true;
      },
      closeInput() {},
      terminate: () => exited,
      stop: () => exited,
      kill() {},
      stderrTail: () => `auth ${leaked}`,
    } as unknown as ClaudeProcess;
  };
}

describe('secret canaries never leave the library', () => {
  beforeEach(() => {
    clearKnownSecrets();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('keeps apiKey, env and host-inherited secrets out of logs, inspection, events, errors and snapshots', async () => {
    let logs = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logs += String(chunk);
        done();
      },
    });
    const inspection: string[] = [];
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      logger: createLogger({ level: 'trace' }, destination),
      inspect: (event) => {
        inspection.push(
          JSON.stringify(event, (key, value) =>
            key === 'actorRef' || key === 'sourceRef' || key === '_parent' ? undefined : value,
          ),
        );
        try {
          inspection.push(JSON.stringify(event.actorRef.getSnapshot()));
        } catch {
          // Not readable while the actor initialises.
        }
      },
      processes: {
        spawn: echoingSpawn(),
        parentEnv: { PATH: '/usr/bin', ANTHROPIC_AUTH_TOKEN: HOST_SECRET },
      },
    } as Parameters<typeof createRuntime>[0]);
    const handle = runtime.query('hi', {
      apiKey: API_KEY,
      env: { GITHUB_TOKEN: TOKEN, HOME: '/h' },
    });
    const events: string[] = [];
    handle.events$.subscribe({ next: (event) => events.push(JSON.stringify(event)) });
    const settled = handle.result;
    await vi.advanceTimersByTimeAsync(1_000);
    const result = await settled;
    expect(result.status).toBe('failed');
    const error = result.error as Error & { toJSON(): unknown };
    expect(error.message).toContain('[redacted]');
    expect(events.join('\n')).toContain('protocol_error');

    expectNoCanary('logs', logs);
    expectNoCanary('inspection', inspection.join('\n'));
    expectNoCanary('events$', events.join('\n'));
    expectNoCanary('error.message', error.message);
    expectNoCanary('error.toJSON', JSON.stringify(error.toJSON()));
    expectNoCanary('error fields', JSON.stringify(Object.assign({}, error)));
    expectNoCanary('result', JSON.stringify(result));
    expectNoCanary('runtime snapshot', JSON.stringify(runtime.snapshot()));
    const stopped = runtime.stop();
    await vi.runAllTimersAsync();
    await stopped;
  });

  it.each([
    'query',
    'session',
  ] as const)('keeps secrets inside managedSettings (carried by initialize) out of the logs and inspection of a %s', async (kind) => {
    let logs = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logs += String(chunk);
        done();
      },
    });
    const inspection: string[] = [];
    const written: string[] = [];
    const spawn = echoingSpawn();
    const runtime = createRuntime({
      defaults: { executable: process.execPath, retry: { maxAttempts: 1 } },
      logger: createLogger({ level: 'trace' }, destination),
      inspect: (event) => {
        inspection.push(
          JSON.stringify(event, (key, value) =>
            key === 'actorRef' || key === 'sourceRef' || key === '_parent' ? undefined : value,
          ),
        );
        try {
          inspection.push(JSON.stringify(event.actorRef.getSnapshot()));
        } catch {
          // Not readable while the actor initialises.
        }
      },
      processes: {
        spawn: (options: SpawnClaudeOptions) => {
          const child = spawn(options);
          const write = child.write.bind(child);
          return Object.assign(child, {
            write: (line: string) => {
              written.push(line);
              return write(line);
            },
          });
        },
        parentEnv: { PATH: '/usr/bin' },
      },
    } as Parameters<typeof createRuntime>[0]);
    const managedSettings = {
      env: { GITHUB_TOKEN: TOKEN },
      mcp: { remote: { headers: { Authorization: `Bearer ${API_KEY}` } } },
      vault: { credentials: [{ value: HOST_SECRET }] },
    };
    if (kind === 'query') {
      const settled = runtime.query('hi', { managedSettings }).result;
      await vi.advanceTimersByTimeAsync(1_000);
      await settled;
    } else {
      // The initialize request is written as one serialized line: no key names to redact by.
      const session = runtime.session({ managedSettings, controlTimeoutMs: 500 });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(session.status).not.toBe('ready');
    }
    // The CLI itself gets the settings whole: only what the library shows is scrubbed.
    expect(written.join('')).toContain(TOKEN);
    expectNoCanary('logs', logs);
    expectNoCanary('inspection', inspection.join('\n'));
    expectNoCanary('runtime snapshot', JSON.stringify(runtime.snapshot()));
    const stopped = runtime.stop();
    await vi.runAllTimersAsync();
    await stopped;
  });

  it('scrubs an option value that happens to hold the api key from InvalidOptionsError', () => {
    let caught: unknown;
    try {
      parseQueryOptions({ apiKey: API_KEY, maxTurns: `${API_KEY}` });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    const error = caught as InvalidOptionsError;
    expectNoCanary('message', error.message);
    expectNoCanary('toJSON', JSON.stringify(error.toJSON()));
    expect(error.message).toContain('maxTurns');
  });

  it('redacts a protocol_error sample and detail by value', () => {
    registerSecrets([TOKEN]);
    const event = protocolError('malformed_json', `bad ${TOKEN}`, `{"x":"${TOKEN}"`);
    expectNoCanary('sample', JSON.stringify(event));
  });

  it('registers secret-looking variables the CLI inherits from the host', () => {
    buildEnv({
      parent: { PATH: '/bin', MY_SERVICE_PASSWORD: HOST_SECRET, HOME: '/home/u' },
      inheritEnv: true,
    });
    expect(redactSecrets(`pw=${HOST_SECRET} home=/home/u`)).toBe('pw=[redacted] home=/home/u');
    // Ordinary variables are not secrets.
    expect(redactSecrets('/home/u')).toBe('/home/u');
  });

  it('ignores values shorter than 6 characters', () => {
    registerSecrets(['abc12', 'the']);
    expect(scrubKnownSecrets('abc12 is the word')).toBe('abc12 is the word');
  });

  it('removes a secret that contains another whole', () => {
    registerSecrets(['secret', 'secret-longer-value']);
    expect(scrubKnownSecrets('x secret-longer-value y')).toBe('x [redacted] y');
  });

  it('remembers a bounded number of values, forgetting the least recently registered', () => {
    registerSecrets(['first-secret-value']);
    for (let i = 0; i < MAX_KNOWN_SECRETS; i++) registerSecrets([`filler-secret-${i}`]);
    expect(scrubKnownSecrets('first-secret-value')).toBe('first-secret-value');
    expect(scrubKnownSecrets(`filler-secret-${MAX_KNOWN_SECRETS - 1}`)).toBe('[redacted]');
  });
});
