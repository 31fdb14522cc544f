import { describe, expect, it } from 'vitest';
import { anOwnership, aPhoneKey, DAY, NOW } from '../../../test/factories/ownership.factory.ts';
import { SqliteOwnershipStore } from './ownership-store.sqlite.ts';

/** Retention on the SQLite store (HISTORY_RETENTION_DAYS): issue 16, item 6. */
describe('SQLite retention', () => {
  const oldKey = aPhoneKey('5511911111111');
  const mixedKey = aPhoneKey('5511922222222');
  const cutoff = NOW - 365 * DAY;

  async function seeded() {
    const store = new SqliteOwnershipStore(':memory:');
    // A customer whose every conversation is older than the cutoff.
    await store.commit([
      {
        key: oldKey,
        ownership: anOwnership({ conversationId: 'old-1', endedAt: cutoff - 2 * DAY }),
      },
      { key: oldKey, ownership: anOwnership({ conversationId: 'old-2', endedAt: cutoff - DAY }) },
    ]);
    // A customer with one old and one recent conversation.
    await store.commit([
      {
        key: mixedKey,
        ownership: anOwnership({ conversationId: 'mixed-old', endedAt: cutoff - DAY }),
      },
      {
        key: mixedKey,
        ownership: anOwnership({ conversationId: 'mixed-new', endedAt: NOW - DAY }),
      },
    ]);
    return store;
  }

  it('a dry run counts and changes nothing', async () => {
    const store = await seeded();
    expect(await store.personalData().purgeOlderThan(cutoff, { dryRun: true })).toEqual({
      historyRows: 3,
      currentOwnersCleared: 1,
    });
    expect((await store.findCustomer(oldKey))?.recent).toHaveLength(2);
  });

  it('deletes older history, forgets a customer whose last conversation is older, keeps the recent', async () => {
    const store = await seeded();
    expect(await store.personalData().purgeOlderThan(cutoff, { dryRun: false })).toEqual({
      historyRows: 3,
      currentOwnersCleared: 1,
      customers: 1,
    });
    expect(await store.findCustomer(oldKey)).toBeNull();
    const mixed = await store.findCustomer(mixedKey);
    expect(mixed?.current?.conversationId).toBe('mixed-new');
    expect(mixed?.recent.map((o) => o.conversationId)).toEqual(['mixed-new']);
    // Idempotent.
    expect(await store.personalData().purgeOlderThan(cutoff, { dryRun: false })).toEqual({
      historyRows: 0,
      currentOwnersCleared: 0,
      customers: 0,
    });
  });

  it('clears the current owner but keeps a profile (Contact, VIP) set by an operator', async () => {
    const store = await seeded();
    await store.setProfile(oldKey, { contactId: '003xx0000001', vip: true });
    await store.personalData().purgeOlderThan(cutoff, { dryRun: false });
    expect(await store.findCustomer(oldKey)).toMatchObject({
      contactId: '003xx0000001',
      vip: true,
      current: null,
      recent: [],
    });
  });
});
