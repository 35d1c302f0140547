import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { toJsonSafe } from '../../src/inspection/to-json-safe.js';

describe('toJsonSafe', () => {
  it('keeps plain JSON data as it is', () => {
    const data = { a: 1, b: 'x', c: [true, null, { d: 2.5 }] };
    expect(toJsonSafe(data, 10)).toEqual(data);
  });

  it('replaces cycles, functions, symbols and bigints', () => {
    const cycle: Record<string, unknown> = { name: 'c' };
    cycle.self = cycle;
    expect(
      toJsonSafe({ cycle, fn: function doIt() {}, sym: Symbol('s'), big: 12n, nan: NaN }, 10),
    ).toEqual({
      cycle: { name: 'c', self: '[Circular]' },
      fn: { type: 'doIt' },
      sym: 'Symbol(s)',
      big: '12',
      nan: null,
    });
  });

  it('repeats an object shared by two branches (only cycles are cut)', () => {
    const shared = { x: 1 };
    expect(toJsonSafe({ a: shared, b: shared }, 10)).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('uses toJSON, so actor refs and dates become small values', () => {
    const actor = createActor(createMachine({ id: 'm' })).start();
    const when = new Date(0);
    expect(toJsonSafe({ actor, when }, 10)).toEqual({
      actor: { xstate$$type: 1, id: actor.id },
      when: '1970-01-01T00:00:00.000Z',
    });
    actor.stop();
  });

  it('drops symbol keys and undefined properties', () => {
    expect(toJsonSafe({ [Symbol('hidden')]: 1, gone: undefined, kept: 0 }, 10)).toEqual({
      kept: 0,
    });
  });

  it('turns errors, maps and sets into data', () => {
    expect(
      toJsonSafe({ error: new TypeError('bad'), map: new Map([['k', 1]]), set: new Set([1]) }, 10),
    ).toEqual({
      error: { name: 'TypeError', message: 'bad' },
      map: [['k', 1]],
      set: [1],
    });
  });

  it('cuts nesting deeper than maxDepth', () => {
    expect(toJsonSafe({ a: { b: { c: {} } }, l: [[1]] }, 2)).toEqual({
      a: { b: '[Object]' },
      l: ['[Array]'],
    });
  });

  it('never throws on throwing getters or toJSON', () => {
    const bad = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    const worse = {
      toJSON(): never {
        throw new Error('toJSON');
      },
    };
    expect(toJsonSafe({ bad, worse }, 10)).toEqual({
      bad: { boom: '[Unserializable]' },
      worse: '[Unserializable]',
    });
  });
});
