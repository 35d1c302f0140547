import { describe, expect, it } from 'vitest';
import { StderrTail } from '../../src/process/spawn/stderr-tail.js';

describe('StderrTail', () => {
  it('keeps everything while under the limit', () => {
    const tail = new StderrTail(100);
    tail.push('hello ');
    tail.push(Buffer.from('world'));
    expect(tail.toString()).toBe('hello world');
  });

  it('keeps only the last maxBytes and marks the cut', () => {
    const tail = new StderrTail(10);
    for (let i = 0; i < 100; i++) tail.push(`line ${i}\n`);
    expect(tail.toString()).toBe('…8\nline 99\n');
  });

  it('cuts inside one large chunk', () => {
    const tail = new StderrTail(4);
    tail.push('abcdefgh');
    expect(tail.toString()).toBe('…efgh');
  });
});
