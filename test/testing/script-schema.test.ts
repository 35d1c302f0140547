import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../src/core/validation/invalid-options-error.js';
import { createSimulator } from '../../src/testing/create-simulator.js';
import { loadSimulatorScript, SimRuleSchema } from '../../src/testing/script-schema.js';
import { SimReplySchema } from '../../src/testing/sim-reply.js';
import type { SimRequest } from '../../src/testing/sim-request.js';
import { matches } from '../../src/testing/sim-rule.js';

function request(prompt: string, hasToolResult = false): SimRequest {
  return {
    method: 'POST',
    path: '/v1/messages',
    model: 'm',
    stream: true,
    prompt,
    hasToolResult,
    toolResults: [],
    body: {},
    headers: {},
    at: 0,
  };
}

function matcher(json: unknown): (req: SimRequest) => boolean {
  const { match } = SimRuleSchema.parse({ match: json, reply: { kind: 'text', text: 'x' } });
  return (req) => matches(match, req);
}

describe('loadSimulatorScript', () => {
  it('loads rules and defaults', () => {
    const script = loadSimulatorScript({
      description: 'demo',
      defaults: { ttftMs: 100, chunkSize: 8, defaultReply: { kind: 'text', text: 'default' } },
      rules: [
        { match: { contains: 'weather' }, reply: { kind: 'text', text: 'Sunny.' }, times: 2 },
        {
          match: { regex: '^read', flags: 'i' },
          reply: [
            { kind: 'tool_use', name: 'Read', input: { file_path: '/x' } },
            { kind: 'error', status: 529 },
          ],
        },
      ],
    });
    expect(script.defaults).toEqual({
      ttftMs: 100,
      chunkSize: 8,
      defaultReply: { kind: 'text', text: 'default' },
    });
    expect(script.rules).toHaveLength(2);
    expect(script.rules[0]).toMatchObject({ match: 'weather', times: 2 });
    expect(script.rules[1]?.match).toEqual(/^read/i);
  });

  it('accepts an empty script', () => {
    expect(loadSimulatorScript({})).toEqual({ rules: [], defaults: {} });
  });

  it.each([
    [{ contains: 'hi' }, 'say hi', false, true],
    [{ contains: 'hi' }, 'say hi', true, false],
    [{ regex: 'H.', flags: 'i' }, 'say hi', false, true],
    [{ regex: 'H.' }, 'say hi', false, false],
    [{ regex: 'h', flags: 'g' }, 'h', false, true],
    [{ any: true }, 'anything', false, true],
    [{ any: true }, 'anything', true, false],
    [{ any: true, toolResult: true }, 'anything', true, true],
    [{ any: true, toolResult: true }, 'anything', false, false],
    [{ contains: 'read', toolResult: true }, 'read it', true, true],
    [{ contains: 'read', toolResult: true }, 'other', true, false],
  ])('match %j on %j (tool result: %s) gives %s', (json, prompt, hasToolResult, expected) => {
    const test = matcher(json);
    expect(test(request(prompt, hasToolResult))).toBe(expected);
    expect(test(request(prompt, hasToolResult))).toBe(expected);
  });

  it.each([
    ['not an object', 'rules', '(root)', 'expected an object'],
    ['an unknown top-level field', { rule: [] }, 'rule', 'unknown key (did you mean `rules`?)'],
    ['rules not an array', { rules: {} }, 'rules', '`{}` (object)'],
    [
      'an unknown reply kind',
      { rules: [{ match: { any: true }, reply: { kind: 'txt', text: 'a' } }] },
      'rules[0].reply.kind',
      '`"txt"` (string)',
    ],
    [
      'a text reply without text',
      { rules: [{ match: { any: true }, reply: { kind: 'text' } }] },
      'rules[0].reply.text',
      'nothing',
    ],
    [
      'a typo in a reply field',
      { rules: [{ match: { any: true }, reply: { kind: 'text', text: 'a', ttft: 5 } }] },
      'rules[0].reply.ttft',
      'unknown key (did you mean `ttftMs`?)',
    ],
    [
      'an error status out of range',
      { rules: [{ match: { any: true }, reply: { kind: 'error', status: 200 } }] },
      'rules[0].reply.status',
      '`200` (number)',
    ],
    ['a negative delay', { defaults: { ttftMs: -1 } }, 'defaults.ttftMs', '`-1` (number)'],
    [
      'a bad reply inside a sequence',
      {
        rules: [
          {
            match: { any: true },
            reply: [
              { kind: 'text', text: 'a' },
              { kind: 'hang', x: 1 },
            ],
          },
        ],
      },
      'rules[0].reply[1].x',
      'unknown key, got `1` (number)',
    ],
    [
      'a misspelt match form',
      { rules: [{ match: { contans: 'x' }, reply: { kind: 'text', text: 'a' } }] },
      'rules[0].match',
      'expected {"contains": "..."}',
    ],
    [
      'an invalid regex',
      { rules: [{ match: { regex: '(' }, reply: { kind: 'text', text: 'a' } }] },
      'rules[0].match.regex',
      'not a valid regular expression',
    ],
    [
      'invalid regex flags',
      { rules: [{ match: { regex: 'a', flags: 'q' }, reply: { kind: 'text', text: 'a' } }] },
      'rules[0].match.flags',
      '`"q"` (string)',
    ],
    [
      'zero times',
      { rules: [{ match: { any: true }, reply: { kind: 'text', text: 'a' }, times: 0 }] },
      'rules[0].times',
      '`0` (number)',
    ],
    [
      'a tool call with string input',
      { rules: [{ match: { any: true }, reply: { kind: 'tool_use', name: 'Read', input: '/x' } }] },
      'rules[0].reply.input',
      '`"/x"` (string)',
    ],
  ])('rejects %s, naming the field and the value', (_name, json, field, fragment) => {
    let caught: unknown;
    try {
      loadSimulatorScript(json);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    const error = caught as InvalidOptionsError;
    expect(error.issues[0]?.path || '(root)').toBe(field);
    expect(error.message).toContain(`\`${field}\``);
    expect(error.message).toContain(fragment);
  });
});

describe('SimReplySchema', () => {
  it.each([
    [{ kind: 'text', text: 'a' }],
    [{ kind: 'tool_use', name: 'Read', input: {}, id: 'toolu_1', text: 'x' }],
    [{ kind: 'error', status: 429, retryAfterSec: 1 }],
    [{ kind: 'cut', afterChunks: 0 }],
    [{ kind: 'hang', afterHeaders: true }],
  ])('accepts %j', (reply) => {
    expect(SimReplySchema.parse(reply)).toEqual(reply);
  });
});

describe('createSimulator options', () => {
  it.each([
    [{ port: -1 }, 'port', '`-1` (number)'],
    [{ port: 70_000 }, 'port', '`70000` (number)'],
    [{ ttftMs: 1.5 }, 'ttftMs', '`1.5` (number)'],
    [{ chunkDelayMs: -5 }, 'chunkDelayMs', '`-5` (number)'],
    [{ chunkSize: 0 }, 'chunkSize', '`0` (number)'],
    [{ defaultReply: { kind: 'nope' } }, 'defaultReply.kind', '`"nope"` (string)'],
    [{ rules: [{ match: 5, reply: { kind: 'text', text: 'a' } }] }, 'rules[0].match', '`5`'],
    [{ logger: {} }, 'logger', 'expected a logger'],
  ])('rejects %j naming the option', async (options, field, fragment) => {
    const creating = createSimulator(options as never);
    await expect(creating).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(creating).rejects.toThrow(`Invalid simulator option \`${field}\``);
    await expect(creating).rejects.toThrow(fragment);
  });

  it('reports a port that is taken', async () => {
    const first = await createSimulator();
    try {
      await expect(createSimulator({ port: first.port })).rejects.toThrow(
        `could not listen on 127.0.0.1:${first.port}`,
      );
    } finally {
      await first.close();
    }
  });
});
