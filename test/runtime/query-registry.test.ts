import { describe, expect, it } from 'vitest';
import { QueryRegistry } from '../../src/runtime/query-registry.js';

const query = (queryId: string) => ({ queryId });

describe('QueryRegistry', () => {
  it('finds a registered query by id and lists queries in start order', () => {
    const registry = new QueryRegistry<{ queryId: string }>();
    const a = query('a');
    const b = query('b');
    registry.add(a);
    registry.add(b);
    expect(registry.get('a')).toBe(a);
    expect(registry.get('c')).toBeUndefined();
    expect(registry.list()).toEqual([a, b]);
    expect(registry.size).toBe(2);
  });

  it('finds a query by the child id of its instance once bound', () => {
    const registry = new QueryRegistry<{ queryId: string }>();
    const a = query('a');
    registry.add(a);
    expect(registry.byChild('child-1')).toBeUndefined();
    registry.bindChild('child-1', a);
    expect(registry.byChild('child-1')).toBe(a);
  });

  it('does not bind a child to a query it does not hold', () => {
    const registry = new QueryRegistry<{ queryId: string }>();
    registry.bindChild('child-1', query('stranger'));
    expect(registry.byChild('child-1')).toBeUndefined();
  });

  it('forgets a removed query under both keys', () => {
    const registry = new QueryRegistry<{ queryId: string }>();
    const a = query('a');
    registry.add(a);
    registry.bindChild('child-1', a);
    registry.remove(a);
    expect(registry.get('a')).toBeUndefined();
    expect(registry.byChild('child-1')).toBeUndefined();
    expect(registry.list()).toEqual([]);
    expect(registry.size).toBe(0);
  });

  it('removing an ended query keeps a newer one registered under the same id', () => {
    const registry = new QueryRegistry<{ queryId: string }>();
    const first = query('same');
    const second = query('same');
    registry.add(first);
    registry.add(second);
    registry.remove(first);
    expect(registry.get('same')).toBe(second);
  });
});
