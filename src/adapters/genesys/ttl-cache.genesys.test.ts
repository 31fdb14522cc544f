import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.genesys.ts';

describe('TtlCache', () => {
  it('expires entries after the TTL and drops the least recently used beyond maxEntries', () => {
    let now = 0;
    const cache = new TtlCache<string>({ ttlMs: 100, maxEntries: 2, now: () => now });
    cache.set('a', 'A');
    cache.set('b', 'B');
    expect(cache.get('a')).toBe('A'); // a is now the most recent
    cache.set('c', 'C'); // evicts b
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    now = 100;
    expect(cache.get('a')).toBeUndefined();
  });

  it('shares an in-flight load, caches its value and does not cache a failure', async () => {
    const cache = new TtlCache<number>({ ttlMs: 1_000, maxEntries: 10 });
    let loads = 0;
    const load = async () => ++loads;
    const [x, y] = await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)]);
    expect([x, y, loads]).toEqual([1, 1, 1]);
    await expect(cache.getOrLoad('k', load)).resolves.toBe(1);

    const failing = () => {
      throw new Error('down');
    };
    await expect(cache.getOrLoad('f', failing)).rejects.toThrow('down');
    await expect(cache.getOrLoad('f', load)).resolves.toBe(2);
  });

  it('with ttlMs 0 only de-duplicates in-flight loads', async () => {
    const cache = new TtlCache<number>({ ttlMs: 0, maxEntries: 10 });
    let loads = 0;
    await cache.getOrLoad('k', async () => ++loads);
    await cache.getOrLoad('k', async () => ++loads);
    expect([loads, cache.size]).toEqual([2, 0]);
  });
});
