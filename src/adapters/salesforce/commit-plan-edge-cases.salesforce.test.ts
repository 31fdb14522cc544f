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
    expect(plan.contactUpdates.map((u) => u.ownership.agentId)).not.toContain('agent-old');
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

describe('one conversation naming two customers', () => {
  it('stays with the customer it first named: the second key is flagged, nothing is rewritten', () => {
    const first = anOwnership({ agentId: 'agent-ana', endedAt: NOW - HOUR });
    const renamed = { ...first, agentId: 'agent-bob', endedAt: NOW };
    const plan = planCommit(
      [{ key: aPhoneKey('5521912345678'), ownership: renamed }],
      state({
        historyEndedAt: new Map([[first.conversationId, first.endedAt]]),
        historyKeys: new Map([[first.conversationId, { phone: '5511987654321', bsuid: '' }]]),
      }),
      'history_only',
    );
    expect(plan.changes[0]).toMatchObject({ status: 'conflict', writes: [] });
    expect(plan.history).toEqual([]);
  });

  it('a row holding another form of the same number is the same customer', () => {
    const first = anOwnership({ endedAt: NOW - HOUR });
    const plan = planCommit(
      [{ key: PHONE, ownership: { ...first, endedAt: NOW } }],
      state({
        historyEndedAt: new Map([[first.conversationId, first.endedAt]]),
        historyKeys: new Map([[first.conversationId, { phone: '551187654321', bsuid: '' }]]),
      }),
      'history_only',
    );
    expect(plan.changes[0]).toMatchObject({ status: 'applied' });
  });
});

describe('the Case’s owner fields compare their own version', () => {
  it('two customers naming one Case: an older ownership never overwrites the Case’s newer Last_*', () => {
    const caseId = '500xx000001AbCdAAK';
    const caseOwner = anOwnership({ agentId: 'agent-case', endedAt: NOW, caseId });
    const older = anOwnership({ agentId: 'agent-late', endedAt: NOW - HOUR, caseId });
    const plan = planCommit(
      [{ key: PHONE, ownership: older }],
      state({
        contacts: new Map([[KEY_ID, contact()]]),
        cases: new Map([[caseId, caseOwner]]),
      }),
      'history_only',
    );
    expect(plan.changes[0]).toMatchObject({ status: 'applied' });
    expect(plan.contactUpdates).toHaveLength(1);
    expect(plan.caseUpdates).toEqual([]);
  });
});

describe('Salesforce, Contact created later: the Contact’s Last_* catch up', () => {
  it('a superseded change still brings the Contact’s Last_* up to the newest Contact-less row', () => {
    const newest = anOwnership({ agentId: 'agent-bob', endedAt: NOW - HOUR });
    const late = anOwnership({ agentId: 'agent-old', endedAt: NOW - 3 * HOUR });
    const plan = planCommit(
      [{ key: PHONE, ownership: late }],
      state({
        contacts: new Map([[KEY_ID, contact()]]),
        orphanHistory: new Map([[KEY_ID, [newest]]]),
      }),
      'history_only',
    );
    expect(plan.changes[0]).toMatchObject({ status: 'superseded' });
    expect(plan.contactUpdates).toEqual([{ id: '003xx000004TmiQAAS', ownership: newest }]);
  });
});
