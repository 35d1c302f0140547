import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { assistantText } from '../../../../src/machines/query/streams/assistant-text.js';
import { finalResult } from '../../../../src/machines/query/streams/final-result.js';
import { textDeltas } from '../../../../src/machines/query/streams/text-deltas.js';
import { toolUses } from '../../../../src/machines/query/streams/tool-uses.js';
import type { CliMessage } from '../../../../src/protocol/cli-message.js';
import { cli } from '../../../helpers/scripted-process.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const delta = (text: string): CliMessage =>
  cli({
    type: 'stream_event',
    event: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
  });
const inputDelta = cli({
  type: 'stream_event',
  event: {
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '{"a"' },
  },
});
const assistant = (...content: unknown[]): CliMessage =>
  cli({ type: 'assistant', parent_tool_use_id: null, message: { role: 'assistant', content } });
const result = (text: string): CliMessage =>
  cli({ type: 'result', subtype: 'success', is_error: false, result: text, session_id: 's' });
const init = cli({ type: 'system', subtype: 'init', session_id: 's', tools: [], model: 'm' });

describe('stream operators', () => {
  it('textDeltas keeps only text deltas, in order', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c-d-|', { a: init, b: delta('Hel'), c: inputDelta, d: delta('lo') });
      expectObservable(source.pipe(textDeltas())).toBe('--x---y-|', { x: 'Hel', y: 'lo' });
    });
  });

  it('assistantText joins the text blocks of each assistant message and skips tool-only ones', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c|', {
        a: assistant({ type: 'text', text: 'one ' }, { type: 'text', text: 'two' }),
        b: assistant({ type: 'tool_use', id: 't1', name: 'Read', input: {} }),
        c: assistant({ type: 'text', text: 'three' }),
      });
      expectObservable(source.pipe(assistantText())).toBe('x---y|', { x: 'one two', y: 'three' });
    });
  });

  it('toolUses emits every tool_use block with its id, name and input', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // A group takes as many frames as its characters: complete the source on frame 4.
      const source = cold('a---|', {
        a: assistant(
          { type: 'text', text: 'let me look' },
          { type: 'tool_use', id: 't1', name: 'Read', input: { file_path: 'a.txt' } },
          { type: 'tool_use', id: 't2', name: 'Bash', input: { command: 'ls' } },
        ),
      });
      expectObservable(source.pipe(toolUses())).toBe('(xy)|', {
        x: { id: 't1', name: 'Read', input: { file_path: 'a.txt' }, parentToolUseId: null },
        y: { id: 't2', name: 'Bash', input: { command: 'ls' }, parentToolUseId: null },
      });
    });
  });

  it('finalResult emits the last result once the stream completes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const first = result('error attempt');
      const last = result('final');
      const source = cold('a-b-c-|', { a: first, b: init, c: last });
      expectObservable(source.pipe(finalResult())).toBe('------(r|)', { r: last });
    });
  });
});
