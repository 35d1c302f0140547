import { describe, expect, expectTypeOf, it } from 'vitest';
import { isKnownSystemMessage, type SystemMessage } from '../../src/protocol/cli-message.js';
import { isCliMessageType, isSystemSubtype } from '../../src/protocol/cli-message-guards.js';
import type { SYSTEM_EVENT_SCHEMAS } from '../../src/protocol/cli-system-events.js';
import { parseCliLine } from '../../src/protocol/parse-cli-line.js';

const parse = (value: unknown) => parseCliLine(JSON.stringify(value));
const sys = (subtype: string, fields: Record<string, unknown>) => ({
  type: 'system',
  subtype,
  session_id: 's1',
  uuid: 'u1',
  ...fields,
});

// One line per subtype, with the fields the Agent SDK's types give them (CLI 2.1.33x).
const SYSTEM_EVENTS: Record<keyof typeof SYSTEM_EVENT_SCHEMAS, Record<string, unknown>> = {
  task_started: sys('task_started', {
    task_id: 't1',
    description: 'explore the repo',
    subagent_type: 'Explore',
    task_type: 'local_agent',
    is_backgrounded: false,
  }),
  task_progress: sys('task_progress', {
    task_id: 't1',
    description: 'explore',
    usage: { total_tokens: 1200, tool_uses: 3, duration_ms: 4100 },
    last_tool_name: 'Grep',
  }),
  task_updated: sys('task_updated', { task_id: 't1', patch: { status: 'completed', end_time: 9 } }),
  task_notification: sys('task_notification', {
    task_id: 't1',
    status: 'completed',
    output_file: '/tmp/t1.out',
    summary: 'done',
  }),
  hook_started: sys('hook_started', { hook_id: 'h1', hook_name: 'lint', hook_event: 'PreToolUse' }),
  hook_progress: sys('hook_progress', {
    hook_id: 'h1',
    hook_name: 'lint',
    hook_event: 'PreToolUse',
    stdout: 'a',
    stderr: '',
    output: 'a',
  }),
  hook_response: sys('hook_response', {
    hook_id: 'h1',
    hook_name: 'lint',
    hook_event: 'PreToolUse',
    output: 'ok',
    stdout: 'ok',
    stderr: '',
    exit_code: 0,
    outcome: 'success',
  }),
  permission_denied: sys('permission_denied', {
    tool_name: 'Bash',
    tool_use_id: 'toolu_1',
    decision_reason_type: 'rule',
    message: 'denied by rule Bash(rm:*)',
  }),
  model_refusal_fallback: sys('model_refusal_fallback', {
    trigger: 'refusal',
    direction: 'retry',
    original_model: 'claude-a',
    fallback_model: 'claude-b',
    request_id: null,
    content: 'switched',
  }),
  model_refusal_no_fallback: sys('model_refusal_no_fallback', {
    original_model: 'claude-a',
    request_id: 'req_1',
    content: 'refused',
  }),
  notification: sys('notification', { key: 'k', text: 'Update available', priority: 'low' }),
  informational: sys('informational', { content: 'Using the cached plan', level: 'info' }),
  files_persisted: sys('files_persisted', {
    files: [{ filename: 'a.txt', file_id: 'f1' }],
    failed: [{ filename: 'b.txt', error: 'too big' }],
    processed_at: '2026-12-03T00:00:00Z',
  }),
  session_state_changed: sys('session_state_changed', { state: 'requires_action' }),
  session_writes_lost: sys('session_writes_lost', { error_code: 'ENOSPC', lost: ['transcript'] }),
  thinking_tokens: sys('thinking_tokens', { estimated_tokens: 900, estimated_tokens_delta: 40 }),
  local_command_output: sys('local_command_output', { content: 'cost: $0.01' }),
  worker_shutting_down: sys('worker_shutting_down', { reason: 'SIGTERM' }),
  elicitation_complete: sys('elicitation_complete', {
    mcp_server_name: 'docs',
    elicitation_id: 'e1',
  }),
  control_request_progress: sys('control_request_progress', {
    request_id: 'r1',
    status: 'api_retry',
    attempt: 2,
  }),
};

describe('system events', () => {
  it.each(
    Object.entries(SYSTEM_EVENTS),
  )('parse %s as a known subtype, fields kept', (subtype, line) => {
    const m = parse({ ...line, added_in_a_later_cli: true });
    expect(m).toEqual({ ...line, added_in_a_later_cli: true });
    expect(m?.type === 'system' && isKnownSystemMessage(m)).toBe(true);
    expect(isSystemSubtype(m, subtype as 'task_started')).toBe(true);
    expect(isSystemSubtype(m, 'init')).toBe(false);
  });

  it.each([
    ['task_started', { task_id: 7 }, 'task_id'],
    ['permission_denied', { tool_use_id: 'x' }, 'tool_name'],
    ['session_state_changed', {}, 'state'],
    ['notification', { text: ['not', 'text'] }, 'text'],
    ['task_progress', { task_id: 't', usage: { total_tokens: 'many' } }, 'usage.total_tokens'],
  ])('refuse %s %j, naming %s', (subtype, fields, path) => {
    const m = parse(sys(subtype, fields));
    expect(m).toMatchObject({ type: 'protocol_error', reason: 'invalid_message' });
    expect((m as { detail: string }).detail).toContain(`system/${subtype}`);
    expect((m as { detail: string }).detail).toContain(path);
  });

  it('accept new values of their enumerations (a newer CLI adds a status)', () => {
    const m = parse(sys('task_notification', { task_id: 't', status: 'archived' }));
    expect(isSystemSubtype(m, 'task_notification') && m.status).toBe('archived');
  });

  it('narrow by subtype with one guard', () => {
    const m = parse(SYSTEM_EVENTS.hook_response);
    if (!isSystemSubtype(m, 'hook_response')) throw new Error('expected hook_response');
    expectTypeOf(m.subtype).toEqualTypeOf<'hook_response'>();
    expectTypeOf(m.exit_code).toEqualTypeOf<number | undefined>();
    expect(m.outcome).toBe('success');
    const other = parse(sys('brand_new_subtype', {})) as SystemMessage;
    expect(isKnownSystemMessage(other)).toBe(false);
  });
});

describe('notice messages', () => {
  it.each([
    [
      'tool_use_summary',
      { type: 'tool_use_summary', summary: 'Read 3 files', preceding_tool_use_ids: ['toolu_1'] },
    ],
    ['prompt_suggestion', { type: 'prompt_suggestion', suggestion: 'Run the tests' }],
    [
      'conversation_reset',
      { type: 'conversation_reset', new_conversation_id: 'c2', trigger: 'clear' },
    ],
    [
      'active_goal',
      { type: 'active_goal', value: { condition: 'tests pass', iterations: 2, set_at: 1 } },
    ],
    ['active_goal', { type: 'active_goal', value: null }],
  ])('parse %s with its own type', (type, raw) => {
    const line = { ...raw, session_id: 's1', uuid: 'u1' };
    const m = parse(line);
    expect(m).toEqual(line);
    expect(isCliMessageType(m, type as 'tool_use_summary')).toBe(true);
  });

  it('type the message by its type', () => {
    const m = parse({ type: 'conversation_reset', new_conversation_id: 'c2' });
    if (!isCliMessageType(m, 'conversation_reset')) throw new Error('expected a reset');
    expectTypeOf(m.new_conversation_id).toEqualTypeOf<string>();
    expect(m.new_conversation_id).toBe('c2');
  });

  it.each([
    [{ type: 'tool_use_summary' }, 'summary'],
    [{ type: 'prompt_suggestion', suggestion: 1 }, 'suggestion'],
    [{ type: 'conversation_reset' }, 'new_conversation_id'],
    [{ type: 'active_goal', value: { iterations: 1 } }, 'value.condition'],
  ])('refuse %j, naming %s', (raw, path) => {
    const m = parse(raw);
    expect(m).toMatchObject({ type: 'protocol_error', reason: 'invalid_message' });
    expect((m as { detail: string }).detail).toContain(path);
  });
});
