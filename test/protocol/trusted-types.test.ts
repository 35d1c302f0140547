import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type CliMessage,
  isKnownSystemMessage,
  type KnownSystemMessage,
  type OtherSystemMessage,
  type SystemMessage,
} from '../../src/protocol/cli-message.js';
import {
  type ContentBlock,
  isContentBlockOf,
  isKnownContentBlock,
  type KnownContentBlock,
  type OtherContentBlock,
  type TextBlock,
  type ThinkingBlock,
  type ToolUseBlock,
} from '../../src/protocol/content-block.js';
import { parseCliLine } from '../../src/protocol/parse-cli-line.js';
import type { ProtocolErrorEvent } from '../../src/protocol/protocol-event.js';

function parse(value: unknown): CliMessage | ProtocolErrorEvent | undefined {
  return parseCliLine(JSON.stringify(value));
}

function assistant(content: unknown[]) {
  return parse({ type: 'assistant', message: { role: 'assistant', content } });
}

/** The blocks of a parsed assistant message (fails the test for anything else). */
function blocksOf(parsed: ReturnType<typeof parse>): readonly ContentBlock[] {
  if (parsed?.type !== 'assistant') throw new Error(`not an assistant message: ${parsed?.type}`);
  const { content } = parsed.message;
  if (typeof content === 'string') throw new Error('string content');
  return content;
}

describe('parsed content blocks', () => {
  it('narrow on `type` once known, with each variant typed', () => {
    const blocks = blocksOf(
      assistant([
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'text', text: 'hello' },
        { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a' } },
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
      ]),
    );
    const seen: string[] = [];
    for (const block of blocks) {
      if (!isKnownContentBlock(block)) {
        expectTypeOf(block).toEqualTypeOf<OtherContentBlock>();
        seen.push(`other:${block.type}`);
        continue;
      }
      expectTypeOf(block).toEqualTypeOf<KnownContentBlock>();
      switch (block.type) {
        case 'text':
          expectTypeOf(block).toEqualTypeOf<TextBlock>();
          seen.push(`text:${block.text}`);
          break;
        case 'tool_use':
          expectTypeOf(block).toEqualTypeOf<ToolUseBlock>();
          expectTypeOf(block.name).toEqualTypeOf<string>();
          seen.push(`tool_use:${block.name}`);
          break;
        case 'thinking':
          expectTypeOf(block).toEqualTypeOf<ThinkingBlock>();
          seen.push(`thinking:${block.thinking}`);
          break;
        default:
          seen.push(block.type);
      }
    }
    expect(seen).toEqual(['thinking:hmm', 'text:hello', 'tool_use:Read', 'other:server_tool_use']);
  });

  it('narrow to one type with isContentBlockOf', () => {
    const blocks = blocksOf(
      assistant([
        { type: 'text', text: 'a' },
        { type: 'tool_use', id: 'x', name: 'Bash', input: {} },
      ]),
    );
    const texts = blocks.flatMap((block) => (isContentBlockOf(block, 'text') ? [block.text] : []));
    expectTypeOf(texts).toEqualTypeOf<string[]>();
    expect(texts).toEqual(['a']);
  });

  it('pass a block of an unknown type through untouched, extra fields kept', () => {
    const block = {
      type: 'web_search_tool_result',
      tool_use_id: 'srvtoolu_1',
      content: [{ a: 1 }],
    };
    expect(blocksOf(assistant([block]))).toEqual([block]);
  });

  it('keep extra fields of known blocks', () => {
    const block = { type: 'text', text: 'hi', citations: [{ cited_text: 'x' }] };
    expect(blocksOf(assistant([block]))).toEqual([block]);
  });

  it.each([
    [{ type: 'text' }, 'message.content[0].text'],
    [{ type: 'text', text: 3 }, 'message.content[0].text'],
    [{ type: 'tool_use', id: 'toolu_1', input: {} }, 'message.content[0].name'],
    [{ type: 'thinking' }, 'message.content[0].thinking'],
  ])('refuse a known block %j that does not match its schema', (block, path) => {
    const parsed = assistant([block]);
    expect(parsed).toMatchObject({ type: 'protocol_error', reason: 'invalid_message' });
    expect((parsed as ProtocolErrorEvent).detail).toContain(path);
  });
});

describe('parsed system messages', () => {
  it('narrow on `subtype` once known', () => {
    const lines = [
      { type: 'system', subtype: 'init', session_id: 's1', model: 'claude-x' },
      { type: 'system', subtype: 'api_retry', attempt: 1, retry_delay_ms: 500, error_status: 429 },
      { type: 'system', subtype: 'brand_new_subtype', hook_name: 'h' },
    ];
    const seen: string[] = [];
    for (const line of lines) {
      const m = parse(line);
      if (m?.type !== 'system') throw new Error('not a system message');
      expectTypeOf(m).toEqualTypeOf<SystemMessage>();
      if (!isKnownSystemMessage(m)) {
        expectTypeOf(m).toEqualTypeOf<OtherSystemMessage>();
        seen.push(`other:${m.subtype}`);
        continue;
      }
      expectTypeOf(m).toEqualTypeOf<KnownSystemMessage>();
      switch (m.subtype) {
        case 'init':
          expectTypeOf(m.session_id).toEqualTypeOf<string>();
          seen.push(`init:${m.session_id}`);
          break;
        case 'api_retry':
          expectTypeOf(m.retry_delay_ms).toEqualTypeOf<number>();
          seen.push(`retry:${m.retry_delay_ms}`);
          break;
        default:
          seen.push(m.subtype);
      }
    }
    expect(seen).toEqual(['init:s1', 'retry:500', 'other:brand_new_subtype']);
  });

  it('refuse a known subtype that does not match its schema, never passing it as another', () => {
    expect(parse({ type: 'system', subtype: 'init' })).toMatchObject({
      type: 'protocol_error',
      reason: 'invalid_message',
    });
  });
});
