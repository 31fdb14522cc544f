import { describe, expect, it } from 'vitest';
import { anOwnership, aPhoneKey, HOUR, NOW } from '../../../test/factories/ownership.factory.ts';
import { planCommit, type StoredContact, type StoredState } from './commit-plan.salesforce.ts';

/** Issue 10: Salesforce edge cases of the commit decision, one per scenario. */

const PHONE = aPhoneKey('5511987654321');
const KEY_ID = 'phone:5511987654321';

const contact = (overrides: Partial<StoredContact> = {}): StoredContact => ({
  id: '003xx000004TmiQAAS',
  vip: false,
  openCase: null,
  last: null,
  history: [],
  ...overrides,
});

const state = (overrides: Partial<StoredState> = {}): StoredState => ({
  contacts: new Map(),
  historyEndedAt: new Map(),
  orphanHistory: new Map(),
  ...overrides,
});

describe('Salesforce, Contact created later (history_only)', () => {
  const servedWithoutContact = anOwnership({ agentId: 'agent-bob', endedAt: NOW - HOUR });

  it('an older late conversation is not applied over the owner recorded before the Contact existed', () => {
    const late = anOwnership({ agentId: 'agent-old', endedAt: NOW - 3 * HOUR });
    const plan = planCommit(
      [{ key: PHONE, ownership: late }],
      state({
        contacts: new Map([[KEY_ID, contact()]]),
        orphanHistory: new Map([[KEY_ID, [servedWithoutContact]]]),
      }),
      'history_only',
    );
    expect(plan.changes[0]).toMatchObject({ status: 'superseded' });
    expect(plan.contactUpdates).toEqual([]);
  });

  it('the first commit after the Contact exists links the Contact-less rows to it', () => {
    const newer = anOwnership({ agentId: 'agent-ana', endedAt: NOW });
    const plan = planCommit(
      [{ key: PHONE, ownership: newer }],
      state({
        contacts: new Map([[KEY_ID, contact()]]),
        orphanHistory: new Map([[KEY_ID, [servedWithoutContact]]]),
      }),
      'history_only',
    );
    expect(plan.changes[0]).toMatchObject({ status: 'applied' });
    expect(plan.historyLinks).toEqual([
      { conversationId: servedWithoutContact.conversationId, contactId: '003xx000004TmiQAAS' },
    ]);
  });
});
