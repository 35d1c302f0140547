import { describe, expect, it } from 'vitest';
import { classifyApiRetry } from '../../../src/machines/query/classify/classify-api-retry.js';
import { classifyExit } from '../../../src/machines/query/classify/classify-exit.js';
import { classifyResult } from '../../../src/machines/query/classify/classify-result.js';
import { MissingCredentialsError } from '../../../src/machines/query/errors/missing-credentials-error.js';
import { StartupFailedError } from '../../../src/machines/query/errors/startup-failed-error.js';
import { SpawnFailedError } from '../../../src/process/errors/spawn-failed-error.js';
import { isApiRetry, isResultMessage } from '../../../src/protocol/cli-message-guards.js';
import { countsAsApiFailure } from '../../../src/resilience/breaker/counts-as-api-failure.js';
import { apiRetry, result } from '../../helpers/scripted-process.js';

const resultOf = (fields: Record<string, unknown>) => {
  const event = result(fields);
  if (event.type !== 'claude.message' || !isResultMessage(event.message))
    throw new Error('fixture');
  return event.message;
};
const retryOf = (status: number, error: string) => {
  const event = apiRetry(status, error);
  if (event.type !== 'claude.message' || !isApiRetry(event.message)) throw new Error('fixture');
  return event.message;
};

describe('classifyResult', () => {
  it('treats a successful result as no error', () => {
    expect(classifyResult(resultOf({}))).toBeUndefined();
  });

  it.each([
    [429, 'rate_limit_error', true],
    [529, 'overloaded_error', true],
    [500, 'api_error', true],
    [502, 'api_error', true],
    [503, 'api_error', true],
    [401, 'authentication_error', false],
    [403, 'permission_error', false],
    [400, 'invalid_request_error', false],
    [404, 'not_found_error', false],
    [413, 'request_too_large', false],
  ])('classifies an api_error result with status %i (%s) as retryable=%s', (status, type, retryable) => {
    const error = classifyResult(
      resultOf({
        is_error: true,
        terminal_reason: 'api_error',
        api_error_status: status,
        api_error_type: type,
      }),
      { queryId: 'q', attempt: 2 },
    );
    expect(error).toMatchObject({
      code: 'API_ERROR',
      status,
      errorType: type,
      retryable,
      queryId: 'q',
      attempt: 2,
    });
  });

  it('treats an api_error without a status (connection lost) as retryable', () => {
    const error = classifyResult(
      resultOf({
        is_error: true,
        terminal_reason: 'api_error',
        api_error_status: null,
        result: 'Connection to the API was lost (ECONNRESET)',
      }),
    );
    expect(error).toMatchObject({ code: 'API_ERROR', status: undefined, retryable: true });
    expect(error?.message).toContain('ECONNRESET');
  });

  it('classifies missing credentials (no status, "Not logged in") as permanent, with advice', () => {
    // What the real CLI writes with no ANTHROPIC_API_KEY and no login.
    const error = classifyResult(
      resultOf({
        is_error: true,
        terminal_reason: 'api_error',
        api_error_status: null,
        result: 'Not logged in · Please run /login',
      }),
      { queryId: 'q' },
    );
    expect(error).toBeInstanceOf(MissingCredentialsError);
    expect(error).toMatchObject({ code: 'MISSING_CREDENTIALS', retryable: false, queryId: 'q' });
    expect(error?.message).toContain('ANTHROPIC_API_KEY');
    expect(error?.message).toContain('log in');
    expect(countsAsApiFailure(error)).toBe(false);
  });

  it.each([
    ['cwd_unavailable', /working directory/],
    ['proxy_invalid', /proxy settings/],
    ['a_reason_from_a_newer_cli', /could not start the session \(a_reason_from_a_newer_cli\)/],
  ])('classifies a %s startup failure as a permanent StartupFailedError', (reason, hint) => {
    const error = classifyResult(
      resultOf({
        subtype: 'error_during_execution',
        is_error: true,
        startup_failure_reason: reason,
        errors: ['cannot start'],
      }),
      { queryId: 'q' },
    );
    expect(error).toBeInstanceOf(StartupFailedError);
    expect(error).toMatchObject({ code: 'STARTUP_FAILED', reason, retryable: false, queryId: 'q' });
    expect(error?.message).toMatch(hint);
    expect(error?.message).toContain('cannot start');
    expect(countsAsApiFailure(error)).toBe(false);
  });

  it.each([
    'error_max_turns',
    'error_max_budget_usd',
    'error_during_execution',
    'error_max_structured_output_retries',
  ])('classifies a %s result as a permanent QueryFailedError', (subtype) => {
    expect(classifyResult(resultOf({ subtype, is_error: true }))).toMatchObject({
      code: 'QUERY_FAILED',
      subtype,
      retryable: false,
    });
  });
});

describe('classifyApiRetry', () => {
  it.each([
    [401, 'authentication_failed', false],
    [403, 'permission_error', false],
    [400, 'invalid_request', false],
    [429, 'rate_limit', true],
    [529, 'overloaded', true],
    [500, 'server_error', true],
  ])('status %i (%s): ends the attempt=%s', (status, error, leftToCli) => {
    const classified = classifyApiRetry(retryOf(status, error));
    if (leftToCli) expect(classified).toBeUndefined();
    else expect(classified).toMatchObject({ code: 'API_ERROR', status, retryable: false });
  });
});

describe('classifyApiRetry of missing credentials', () => {
  it('ends the attempt at once: authentication_failed with no status is not a dropped connection', () => {
    const event = apiRetry(null, 'authentication_failed');
    if (event.type !== 'claude.message' || !isApiRetry(event.message)) throw new Error('fixture');
    const classified = classifyApiRetry(event.message);
    expect(classified).toMatchObject({ code: 'MISSING_CREDENTIALS', retryable: false });
    expect(classified?.message).toContain('ANTHROPIC_API_KEY');
  });
});

describe('classifyExit', () => {
  it.each([
    [{ exitCode: undefined, signal: 'SIGKILL', stderrTail: '' }, true],
    [{ exitCode: undefined, signal: 'SIGSEGV', stderrTail: '' }, true],
    [{ exitCode: 1, signal: undefined, stderrTail: 'FATAL: out of memory' }, true],
    [{ exitCode: 0, signal: undefined, stderrTail: '' }, true],
    [{ exitCode: 1, signal: undefined, stderrTail: "error: unknown option '--nope'" }, false],
    [
      {
        exitCode: 1,
        signal: undefined,
        stderrTail: "error: option '--model <model>' argument missing",
      },
      false,
    ],
    [
      {
        exitCode: 1,
        signal: undefined,
        stderrTail: 'Error: --json-schema is not a valid JSON Schema: no schema with key',
      },
      false,
    ],
  ])('classifies %o as retryable=%s', (exit, retryable) => {
    const error = classifyExit(exit, { pid: 7 });
    expect(error).toMatchObject({ code: 'PROCESS_EXITED', retryable, pid: 7 });
  });

  it('says how the process ended and what it wrote to stderr', () => {
    const error = classifyExit(
      { exitCode: 3, signal: undefined, stderrTail: 'something broke\n' },
      { pid: 99 },
    );
    expect(error.message).toBe(
      'The Claude Code CLI (pid 99) exited with code 3 before it wrote a result. stderr: something broke',
    );
  });

  it('passes a spawn failure through unchanged', () => {
    const spawnError = new SpawnFailedError(
      '/x/claude',
      Object.assign(new Error('spawn ENOENT'), { code: 'ENOENT' }),
    );
    expect(
      classifyExit({ exitCode: undefined, signal: undefined, stderrTail: '', spawnError }),
    ).toBe(spawnError);
    expect(spawnError.retryable).toBe(false);
  });
});
