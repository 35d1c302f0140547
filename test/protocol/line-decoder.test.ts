import { describe, expect, it } from 'vitest';
import { createLineDecoder, type LineOverflowInfo } from '../../src/protocol/line-decoder.js';

function collect(maxLineBytes?: number) {
  const lines: string[] = [];
  const overflows: LineOverflowInfo[] = [];
  const decoder = createLineDecoder({
    ...(maxLineBytes === undefined ? {} : { maxLineBytes }),
    onLine: (line) => lines.push(line),
    onOverflow: (info) => overflows.push(info),
  });
  return { decoder, lines, overflows };
}

describe('createLineDecoder', () => {
  const text = '{"type":"a","t":"héllo wörld ✓ 😀"}\n{"type":"b"}\r\n\n{"type":"c","x":"日本語"}\n';
  const bytes = Buffer.from(text, 'utf8');
  const expected = [
    '{"type":"a","t":"héllo wörld ✓ 😀"}',
    '{"type":"b"}',
    '',
    '{"type":"c","x":"日本語"}',
  ];

  it('splits lines the same wherever one chunk boundary falls, even inside a character', () => {
    for (let at = 0; at <= bytes.length; at++) {
      const { decoder, lines } = collect();
      decoder.push(bytes.subarray(0, at));
      decoder.push(bytes.subarray(at));
      decoder.end();
      expect(lines, `split at byte ${at}`).toEqual(expected);
    }
  });

  it('splits lines the same when every byte arrives alone', () => {
    const { decoder, lines } = collect();
    for (const byte of bytes) decoder.push(Buffer.from([byte]));
    decoder.end();
    expect(lines).toEqual(expected);
  });

  it('splits lines the same under every pair of chunk boundaries', () => {
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        const { decoder, lines } = collect();
        decoder.push(bytes.subarray(0, a));
        decoder.push(bytes.subarray(a, b));
        decoder.push(bytes.subarray(b));
        decoder.end();
        expect(lines, `split at ${a} and ${b}`).toEqual(expected);
      }
    }
  });

  it('accepts string chunks', () => {
    const { decoder, lines } = collect();
    decoder.push('{"a":1}\n{"b"');
    decoder.push(':2}\n');
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('strips the carriage return of CRLF endings, even when split from its newline', () => {
    const { decoder, lines } = collect();
    decoder.push('one\r');
    decoder.push('\ntwo\r\n');
    expect(lines).toEqual(['one', 'two']);
  });

  it('delivers a final unterminated line on end(), once', () => {
    const { decoder, lines } = collect();
    decoder.push('first\nlast');
    expect(lines).toEqual(['first']);
    decoder.end();
    decoder.end();
    expect(lines).toEqual(['first', 'last']);
  });

  it('delivers nothing on end() after a complete line', () => {
    const { decoder, lines } = collect();
    decoder.push('only\n');
    decoder.end();
    expect(lines).toEqual(['only']);
  });

  it('keeps its own copy of a partial line, so the caller may reuse its buffer', () => {
    const { decoder, lines } = collect();
    const buffer = Buffer.from('abc');
    decoder.push(buffer);
    buffer.write('xyz');
    decoder.push('\n');
    expect(lines).toEqual(['abc']);
  });

  it('accepts a line of exactly maxLineBytes', () => {
    const { decoder, lines, overflows } = collect(10);
    decoder.push(`${'x'.repeat(10)}\n`);
    expect(lines).toEqual(['x'.repeat(10)]);
    expect(overflows).toEqual([]);
  });

  it('reports an overlong line once, drops it, and resumes at the next line', () => {
    const { decoder, lines, overflows } = collect(40);
    decoder.push('ok\n');
    decoder.push('{"type":"huge","data":"');
    for (let i = 0; i < 50; i++) decoder.push('y'.repeat(100));
    decoder.push('"}\n{"type":"after"}\n');
    decoder.end();
    expect(lines).toEqual(['ok', '{"type":"after"}']);
    expect(overflows).toHaveLength(1);
    expect(overflows[0]?.sample.startsWith('{"type":"huge","data":"yyy')).toBe(true);
    expect(overflows[0]?.sample.length).toBeLessThanOrEqual(200);
    expect(overflows[0]?.length).toBeGreaterThan(40);
  });

  it('reports an overlong line that arrives in a single chunk with its newline', () => {
    const { decoder, lines, overflows } = collect(8);
    decoder.push('0123456789abc\nnext\n');
    expect(lines).toEqual(['next']);
    expect(overflows).toEqual([{ length: 13, sample: '0123456789abc' }]);
  });

  it('reports two overlong lines in a row separately', () => {
    const { decoder, lines, overflows } = collect(4);
    decoder.push('aaaaaa\nbbbbbb\nc\n');
    expect(lines).toEqual(['c']);
    expect(overflows.map((o) => o.sample)).toEqual(['aaaaaa', 'bbbbbb']);
  });

  it('keeps a sample free of a character cut in half', () => {
    const { decoder, overflows } = collect(10);
    decoder.push(`x${'😀'.repeat(300)}`);
    expect(overflows).toHaveLength(1);
    // 200 UTF-16 units would end inside the 100th emoji: it is left out whole.
    expect(overflows[0]?.sample).toBe(`x${'😀'.repeat(99)}`);
  });

  it('drops an overlong final line on end() without delivering it', () => {
    const { decoder, lines, overflows } = collect(4);
    decoder.push('toolong');
    decoder.end();
    expect(lines).toEqual([]);
    expect(overflows).toHaveLength(1);
    decoder.push('ok\n');
    expect(lines).toEqual(['ok']);
  });
});
