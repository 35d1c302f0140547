import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../../src/core/validation/invalid-options-error.js';
import { parseHostControlRequest } from '../../../src/machines/session/parse-host-control-request.js';

describe('parseHostControlRequest', () => {
  it.each([
    ['get_context_usage', {}, { subtype: 'get_context_usage' }],
    ['stop_task', { task_id: 't1' }, { subtype: 'stop_task', task_id: 't1' }],
    [
      'mcp_toggle',
      { serverName: 'docs', enabled: false },
      { subtype: 'mcp_toggle', serverName: 'docs', enabled: false },
    ],
    [
      'set_max_thinking_tokens',
      { max_thinking_tokens: null },
      { subtype: 'set_max_thinking_tokens', max_thinking_tokens: null },
    ],
    ['get_usage', { extra: [1] }, { subtype: 'get_usage', extra: [1] }],
  ])('builds %s %j', (subtype, payload, request) => {
    expect(parseHostControlRequest(subtype, payload)).toEqual(request);
  });

  it.each([
    [
      'stop_task',
      { task_id: 3 },
      /`stop_task` request field `task_id`: expected a string, got `3`/,
    ],
    ['stop_task', {}, /`task_id`: is required/],
    ['mcp_toggle', { serverName: 'x', enabled: 'yes' }, /`enabled`: expected a boolean/],
    ['set_max_thinking_tokens', { max_thinking_tokens: -5 }, /`max_thinking_tokens`/],
    ['get_context_usage', { detail: 'everything' }, /`detail`/],
    ['', {}, /control request `subtype`: expected a control request subtype/],
    ['Stop Task', {}, /`subtype`: expected a control request subtype in snake_case/],
    [42, {}, /`subtype`/],
    ['get_settings', 'all', /`payload`: expected an object/],
    ['get_settings', { subtype: 'interrupt' }, /`payload.subtype`: expected no `subtype`/],
    ['initialize', {}, /`subtype`: expected a subtype other than `initialize`/],
  ])('refuses %j %j naming the field', (subtype, payload, message) => {
    let error: unknown;
    try {
      parseHostControlRequest(subtype, payload);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as Error).message).toMatch(message);
  });
});
