import { describe, expect, it } from 'vitest';
import type { SessionChildSpec } from '../../src/machines/session/session-child-spec.js';
import { SessionRegistry } from '../../src/runtime/session-registry.js';

/** A session child spec whose session closes when `close()` is called. */
function specOf(id: string): SessionChildSpec & { close(): void } {
  let close!: () => void;
  const closed = new Promise<void>((resolve) => {
    close = resolve;
  });
  return {
    id,
    start: () => 'ignore',
    session: { closed } as unknown as SessionChildSpec['session'],
    abandon: () => {},
    close: () => close(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SessionRegistry', () => {
  it('finds an open session by its child id and lists sessions in opening order', () => {
    const registry = new SessionRegistry();
    const a = specOf('a');
    const b = specOf('b');
    registry.add(a);
    registry.add(b);
    expect(registry.get('a')).toBe(a);
    expect(registry.get('x')).toBeUndefined();
    expect(registry.list()).toEqual([a, b]);
  });

  it('forgets a session once it closes', async () => {
    const registry = new SessionRegistry();
    const a = specOf('a');
    registry.add(a);
    a.close();
    await tick();
    expect(registry.get('a')).toBeUndefined();
    expect(registry.list()).toEqual([]);
  });

  it('keeps both sessions opened with one id; the first closing leaves the second findable', async () => {
    const registry = new SessionRegistry();
    const first = specOf('same');
    const second = specOf('same');
    registry.add(first);
    registry.add(second);
    expect(registry.list()).toEqual([first, second]);
    first.close();
    await tick();
    expect(registry.get('same')).toBe(second);
    expect(registry.list()).toEqual([second]);
  });
});
