import { describe, expect, it } from 'vitest';
import { anOwnership, aPhoneKey, HOUR, NOW } from '../../../test/factories/ownership.factory.ts';
import type { CustomerKey } from '../../domain/customer-key.ts';
import type { Ownership } from '../../domain/ownership.ts';
import { planCommit, type StoredContact, type StoredState } from './commit-plan.salesforce.ts';

const PHONE = aPhoneKey('5511987654321');
const OTHER = aPhoneKey('5521912345678');
const BSUID: CustomerKey = { kind: 'bsuid', value: 'BR.1502576394655843' };
const CASE_ID = '500xx000001AbCdAAK';

function contact(overrides: Partial<StoredContact> = {}): StoredContact {
  return {
    id: '003xx000004TmiQAAS',
    vip: false,
    openCase: null,
    last: null,
    history: [],
    ...overrides,
  };
}

function state(overrides: Partial<StoredState> = {}): StoredState {
  return { contacts: new Map(), historyEndedAt: new Map(), orphanHistory: new Map(), ...overrides };
}

const change = (key: CustomerKey, ownership: Ownership) => ({ key, ownership });

describe('planCommit', () => {
  it('applies a newer ownership to the Contact, its open Case and the history', () => {
    const stored = anOwnership({ endedAt: NOW - 5 * HOUR });
    const next = anOwnership({ endedAt: NOW - HOUR });
    const c = contact({ last: stored, openCase: { id: CASE_ID, number: '00001026' } });
    const plan = planCommit(
      [change(PHONE, next)],
      state({ contacts: new Map([['phone:5511987654321', c]]) }),
      'history_only',
    );
    expect(plan.changes[0]).toMatchObject({ status: 'applied' });
    expect(plan.contactUpdates).toEqual([{ id: c.id, ownership: next }]);
    expect(plan.caseUpdates).toEqual([{ id: CASE_ID, ownership: next }]);
    expect(plan.history).toEqual([
      { ownership: next, key: PHONE, contactId: c.id, contactKey: null, caseId: CASE_ID },
    ]);
    expect(plan.changes[0]!.writes.map((w) => w.kind)).toEqual([
      'history',
      'contactUpdate',
      'caseUpdate',
    ]);
  });

  it('never lets an older change overwrite the newer stored Contact owner', () => {
    const stored = anOwnership({ endedAt: NOW - HOUR });
    const older = anOwnership({ endedAt: NOW - 3 * HOUR });
    const c = contact({ last: stored });
    const plan = planCommit(
      [change(PHONE, older)],
      state({ contacts: new Map([['phone:5511987654321', c]]) }),
      'history_only',
    );
    expect(plan.changes[0]!.status).toBe('superseded');
    expect(plan.contactUpdates).toEqual([]);
    expect(plan.caseUpdates).toEqual([]);
    expect(plan.history).toHaveLength(1);
  });

  it('treats an exact replay of the stored owner as applied (idempotent rewrite)', () => {
    const stored = anOwnership();
    const plan = planCommit(
      [change(PHONE, stored)],
      state({ contacts: new Map([['phone:5511987654321', contact({ last: stored })]]) }),
      'history_only',
    );
    expect(plan.changes[0]!.status).toBe('applied');
    expect(plan.contactUpdates).toHaveLength(1);
  });

  it('collapses changes for one conversation to the newest version', () => {
    const older = anOwnership({
      conversationId: 'conv-a',
      endedAt: NOW - 2 * HOUR,
      agentId: 'old',
    });
    const newer = { ...older, endedAt: NOW - HOUR, agentId: 'new' };
    const plan = planCommit(
      [change(PHONE, older), change(PHONE, newer), change(PHONE, older)],
      state(),
      'history_only',
    );
    expect(plan.history.map((h) => h.ownership.agentId)).toEqual(['new']);
    expect(plan.changes.map((c) => c.status)).toEqual(['superseded', 'applied', 'superseded']);
    // The collapsed changes depend on the one history row that was written.
    expect(plan.changes[0]!.writes).toEqual([{ kind: 'history', index: 0 }]);
  });

  it('picks the newest of several conversations of one customer as the owner', () => {
    const a = anOwnership({ endedAt: NOW - 3 * HOUR });
    const b = anOwnership({ endedAt: NOW - HOUR });
    const c = contact();
    const plan = planCommit(
      [change(PHONE, b), change(PHONE, a)],
      state({ contacts: new Map([['phone:5511987654321', c]]) }),
      'history_only',
    );
    expect(plan.changes.map((x) => x.status)).toEqual(['applied', 'superseded']);
    expect(plan.contactUpdates).toEqual([{ id: c.id, ownership: b }]);
    expect(plan.history).toHaveLength(2);
  });

  it('skips a history row whose stored version is newer', () => {
    const o = anOwnership({ endedAt: NOW - 2 * HOUR });
    const plan = planCommit(
      [change(PHONE, o)],
      state({ historyEndedAt: new Map([[o.conversationId, NOW - HOUR]]) }),
      'history_only',
    );
    expect(plan.history).toEqual([]);
    expect(plan.changes[0]).toEqual({
      slot: 'key:phone:5511987654321',
      status: 'superseded',
      writes: [],
    });
  });

  it('rewrites a history row of equal version (replay)', () => {
    const o = anOwnership();
    const plan = planCommit(
      [change(PHONE, o)],
      state({ historyEndedAt: new Map([[o.conversationId, o.endedAt]]) }),
      'history_only',
    );
    expect(plan.history).toHaveLength(1);
  });

  it('decides customers without a Contact against their history rows (history_only)', () => {
    const stored = anOwnership({ endedAt: NOW - HOUR });
    const older = anOwnership({ endedAt: NOW - 2 * HOUR });
    const newer = anOwnership({ endedAt: NOW });
    const orphans = new Map([['phone:5511987654321', [stored]]]);
    const plan = planCommit(
      [change(PHONE, older)],
      state({ orphanHistory: orphans }),
      'history_only',
    );
    expect(plan.changes[0]!.status).toBe('superseded');
    const plan2 = planCommit(
      [change(PHONE, newer)],
      state({ orphanHistory: orphans }),
      'history_only',
    );
    expect(plan2.changes[0]!.status).toBe('applied');
    expect(plan2.contactCreates).toEqual([]);
    expect(plan2.history[0]).toMatchObject({ contactId: null, contactKey: null });
  });

  it('creates the Contact and links history to it by external id (create_contact)', () => {
    const o = anOwnership();
    const plan = planCommit(
      [change(PHONE, o), change(BSUID, anOwnership({ endedAt: NOW - 2 * HOUR }))],
      state(),
      'create_contact',
    );
    expect(plan.contactCreates.map((c) => c.key)).toEqual([PHONE, BSUID]);
    expect(plan.history[0]).toMatchObject({ contactId: null, contactKey: PHONE });
    expect(plan.changes[0]!.writes.map((w) => w.kind)).toEqual(['history', 'contactCreate']);
  });

  it('uses the conversation Case id when valid, else the open Case', () => {
    const c = contact({ openCase: { id: '500xx000009ZzZzAAK', number: '00001030' } });
    const contacts = new Map([['phone:5511987654321', c]]);
    const withCase = planCommit(
      [change(PHONE, anOwnership({ caseId: CASE_ID }))],
      state({ contacts }),
      'history_only',
    );
    expect(withCase.caseUpdates.map((u) => u.id)).toEqual([CASE_ID]);
    const bogus = planCommit(
      [change(PHONE, anOwnership({ caseId: "x' OR 1=1" }))],
      state({ contacts }),
      'history_only',
    );
    expect(bogus.caseUpdates.map((u) => u.id)).toEqual(['500xx000009ZzZzAAK']);
    expect(bogus.history[0]!.caseId).toBe('500xx000009ZzZzAAK');
  });

  it('writes one Contact once when a number and a BSUID resolve to it', () => {
    const c = contact();
    const contacts = new Map([
      ['phone:5511987654321', c],
      ['bsuid:BR.1502576394655843', c],
    ]);
    const a = anOwnership({ endedAt: NOW - HOUR });
    const b = anOwnership({ endedAt: NOW });
    const plan = planCommit(
      [change(PHONE, a), change(BSUID, b)],
      state({ contacts }),
      'history_only',
    );
    expect(plan.contactUpdates).toEqual([{ id: c.id, ownership: b }]);
    expect(plan.changes.map((x) => x.status)).toEqual(['superseded', 'applied']);
  });

  it('writes a Case named by two customers once, with the newest ownership', () => {
    const a = anOwnership({ endedAt: NOW - HOUR, caseId: CASE_ID });
    const b = anOwnership({ endedAt: NOW, caseId: CASE_ID });
    const contacts = new Map([
      ['phone:5511987654321', contact({ id: '003xx000004TmiQAAA' })],
      ['phone:5521912345678', contact({ id: '003xx000004TmiQAAB' })],
    ]);
    const plan = planCommit(
      [change(PHONE, a), change(OTHER, b)],
      state({ contacts }),
      'history_only',
    );
    expect(plan.caseUpdates).toEqual([{ id: CASE_ID, ownership: b }]);
    expect(plan.changes[0]!.writes.map((w) => w.kind)).toEqual(['history', 'contactUpdate']);
    expect(plan.changes[1]!.writes.map((w) => w.kind)).toEqual([
      'history',
      'contactUpdate',
      'caseUpdate',
    ]);
  });
});
