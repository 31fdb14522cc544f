import { describe, expect, it } from 'vitest';
import { anOwnership, aPhoneKey, HOUR, NOW } from '../../../test/factories/ownership.factory.ts';
import { SqliteOwnershipStore } from './ownership-store.sqlite.ts';

const FIRST = aPhoneKey('5511987650101');
const SECOND = aPhoneKey('5511987650202');

describe('SqliteOwnershipStore: one conversation naming two customers (issue 10)', () => {
  it('the conversation stays with the customer it first named; the second key is flagged, not rewritten', async () => {
    const store = new SqliteOwnershipStore(':memory:');
    const first = anOwnership({ agentId: 'agent-ana', endedAt: NOW - HOUR });
    await store.commit([{ key: FIRST, ownership: first }]);

    const renamed = { ...first, agentId: 'agent-bob', endedAt: NOW };
    const [result] = await store.commit([{ key: SECOND, ownership: renamed }]);
    expect(result).toMatchObject({
      status: 'failed',
      code: 'CONVERSATION_NAMES_ANOTHER_CUSTOMER',
      retryable: false,
    });
    expect((await store.findCustomer(FIRST))?.current).toMatchObject({ agentId: 'agent-ana' });
    expect(await store.findCustomer(SECOND)).toBeNull();
    await store.close();
  });

  it('an older re-derivation of a conversation never rewrites its row', async () => {
    const store = new SqliteOwnershipStore(':memory:');
    const newer = anOwnership({ agentId: 'agent-ana', endedAt: NOW });
    await store.commit([{ key: FIRST, ownership: newer }]);
    await store.commit([
      { key: FIRST, ownership: { ...newer, agentId: 'x', endedAt: NOW - HOUR } },
    ]);
    expect((await store.findCustomer(FIRST))?.current).toMatchObject({ agentId: 'agent-ana' });
    await store.close();
  });
});
