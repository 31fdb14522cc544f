import { describe, expect, it } from 'vitest';
import type { AvailabilitySource } from './availability.port.ts';
import {
  aCustomer,
  anOwnership,
  aPhoneKey,
  aPolicy,
  HOUR,
  NOW,
} from '../../test/factories/ownership.factory.ts';
import { FakeStore, MemoryCache } from '../../test/support/fakes.ts';
import { LookupService } from './lookup.service.ts';

const ana = anOwnership({ agentId: 'agent-ana', queueId: 'queue-support', endedAt: NOW - HOUR });
const request = {
  address: '+5511987654321',
  conversationId: '',
  queueId: 'queue-support',
  isNewConversation: true,
};

function service(options: {
  store?: FakeStore;
  cache?: MemoryCache;
  availability?: AvailabilitySource;
  deadlineMs?: number;
}) {
  const store =
    options.store ??
    new FakeStore().put(aCustomer({ key: aPhoneKey(), current: ana, recent: [ana] }));
  const cache = options.cache ?? new MemoryCache();
  return {
    store,
    cache,
    lookup: new LookupService({
      store,
      cache,
      availability: options.availability ?? { getAvailability: async () => new Map() },
      clock: { now: () => NOW },
      policy: aPolicy(),
      deadlineMs: options.deadlineMs ?? 200,
    }),
  };
}

describe('LookupService', () => {
  it('uses Genesys availability: an owner off queue is not preferred', async () => {
    const { lookup } = service({
      availability: {
        getAvailability: async () =>
          new Map([['agent-ana', { status: 'off_queue', queueIds: ['queue-support'] } as const]]),
      },
    });
    expect((await lookup.lookup(request)).decision).toMatchObject({
      action: 'queue',
      reason: 'owner_offline',
    });
  });

  it('says availability_unknown, in time, when Genesys does not answer', async () => {
    const { lookup } = service({
      availability: { getAvailability: () => new Promise(() => {}) },
      deadlineMs: 100,
    });
    const started = performance.now();
    const { decision } = await lookup.lookup(request);
    expect(decision).toMatchObject({
      action: 'agent',
      agentId: 'agent-ana',
      reason: 'availability_unknown',
    });
    expect(performance.now() - started).toBeLessThan(400);
  });

  it('says availability_unknown when Genesys fails', async () => {
    const { lookup } = service({
      availability: { getAvailability: async () => Promise.reject(new Error('503')) },
    });
    expect((await lookup.lookup(request)).decision.reason).toBe('availability_unknown');
  });

  it('asks Genesys only about agents still inside their window', async () => {
    const asked: string[][] = [];
    const stale = anOwnership({ agentId: 'agent-old', endedAt: NOW - 30 * 24 * HOUR });
    const store = new FakeStore().put(
      aCustomer({ key: aPhoneKey(), current: ana, recent: [ana, stale] }),
    );
    const { lookup } = service({
      store,
      availability: { getAvailability: async (ids) => (asked.push([...ids]), new Map()) },
    });
    await lookup.lookup(request);
    expect(asked).toEqual([['agent-ana']]);
  });

  it('reads the store once for concurrent cold lookups of one customer, then serves the cache', async () => {
    const { lookup, store } = service({});
    store.delayMs = 20;
    const outcomes = await Promise.all([
      lookup.lookup(request),
      lookup.lookup(request),
      lookup.lookup(request),
    ]);
    expect(store.reads).toBe(1);
    expect(outcomes.map((o) => o.source)).toEqual(['store', 'store', 'store']);
    expect((await lookup.lookup(request)).source).toBe('cache');
    expect(store.reads).toBe(1);
  });

  it('falls back with crm_unavailable when the store fails, and caches nothing', async () => {
    const { lookup, store, cache } = service({});
    store.failWith = new Error('REQUEST_LIMIT_EXCEEDED');
    const { decision, source } = await lookup.lookup(request);
    expect(source).toBe('crm_unavailable');
    expect(decision).toMatchObject({
      action: 'fallback',
      reason: 'crm_unavailable',
      queueId: 'queue-fallback',
    });
    expect(cache.entries.size).toBe(0);
  });

  it('answers invalid_address without touching cache or store', async () => {
    const { lookup, store, cache } = service({});
    const { decision } = await lookup.lookup({ ...request, address: 'call me maybe' });
    expect(decision).toMatchObject({ action: 'fallback', reason: 'invalid_address' });
    expect(store.reads).toBe(0);
    expect(cache.reads).toBe(0);
  });
});

describe('LookupService and a slow cache (issue 10)', () => {
  it('the cache fill never delays the answer: a known customer is not crm_unavailable behind a slow Redis', async () => {
    const cache = new MemoryCache();
    cache.fill = () => new Promise(() => {}); // Redis hangs on the write
    const { lookup } = service({ cache, deadlineMs: 100 });
    expect((await lookup.lookup(request)).decision).toMatchObject({
      found: true,
      agentId: 'agent-ana',
    });
  });
  it('below the CRM API reserve, a miss makes no store call and falls back with crm_api_reserve; the cache still answers', async () => {
    const store = new FakeStore().put(aCustomer({ key: aPhoneKey(), current: ana, recent: [ana] }));
    Object.assign(store, {
      budget: { belowReserve: true, usage: { used: 95_000, limit: 100_000 }, reservePercent: 10 },
    });
    const cache = new MemoryCache();
    const { lookup } = service({ store, cache });
    const outcome = await lookup.lookup(request);
    expect(outcome).toMatchObject({
      source: 'crm_api_reserve',
      decision: { action: 'fallback', reason: 'crm_api_reserve', found: false },
    });
    expect(store.reads).toBe(0);
    await cache.set(aPhoneKey(), aCustomer({ key: aPhoneKey(), current: ana, recent: [ana] }));
    expect((await lookup.lookup(request)).decision).toMatchObject({
      action: 'agent',
      agentId: 'agent-ana',
    });
    expect(store.reads).toBe(0);
  });

  it('a record held in memory answers without asking the shared cache, with the JSON that is sent', async () => {
    const cache = new MemoryCache();
    const held = aCustomer({ key: aPhoneKey(), current: ana, recent: [ana] });
    // The shared cache hangs: only the in-memory copy can answer in time.
    cache.get = () => new Promise(() => {});
    Object.assign(cache, { peek: () => ({ hit: true, record: held }) });
    const store = new FakeStore();
    const { lookup } = service({ cache, store });
    const outcome = await lookup.lookup(request);
    expect(outcome).toMatchObject({ source: 'cache', decision: { agentId: 'agent-ana' } });
    expect(JSON.parse(outcome.json)).toEqual(outcome.decision);
    expect(store.reads).toBe(0);
  });
});
