import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anOwnership, aPhoneKey, NOW } from '../../../test/factories/ownership.factory.ts';
import { SqliteOwnershipStore } from './ownership-store.sqlite.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

const file = () => join(tempDir('cb-sqlite-'), 'store.sqlite');

describe('SqliteOwnershipStore.commit (a batch in one transaction)', () => {
  it('applies every change of a batch, newest version winning within the batch', async () => {
    const store = new SqliteOwnershipStore(file());
    const key = aPhoneKey('5511900000001');
    const older = anOwnership({ conversationId: 'conv-old', endedAt: NOW - 3_600_000 });
    const newer = anOwnership({ conversationId: 'conv-new', agentId: 'agent-bo', endedAt: NOW });
    const results = await store.commit([
      { key, ownership: newer },
      { key, ownership: older },
      { key: aPhoneKey('5511900000002'), ownership: anOwnership({ conversationId: 'conv-other' }) },
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'superseded', 'applied']);
    const record = await store.findCustomer(key);
    expect(record?.current?.conversationId).toBe('conv-new');
    expect(record?.recent.map((o) => o.conversationId).sort()).toEqual(['conv-new', 'conv-old']);
    await store.close();
  });

  it('rolls back only the change that failed, with everything it had written', async () => {
    const path = file();
    const store = new SqliteOwnershipStore(path);
    const broken = aPhoneKey('5511900000003');
    await store.commit([{ key: broken, ownership: anOwnership({ conversationId: 'conv-first' }) }]);
    // Corrupt the stored owner: the next change for this customer fails after its history upsert.
    const db = new DatabaseSync(path);
    db.exec(
      "UPDATE customer SET current_conversation_id = 'conv-missing' WHERE key_id LIKE '%5511900000003'",
    );
    db.close();

    const fine = aPhoneKey('5511900000004');
    const results = await store.commit([
      { key: broken, ownership: anOwnership({ conversationId: 'conv-doomed', endedAt: NOW }) },
      { key: fine, ownership: anOwnership({ conversationId: 'conv-fine' }) },
    ]);
    expect(results.map((r) => r.status)).toEqual(['failed', 'applied']);
    expect(results[0]).toMatchObject({ code: 'CB_ERR_CRM_UNAVAILABLE', retryable: true });
    expect((await store.findCustomer(fine))?.current?.conversationId).toBe('conv-fine');
    const check = new DatabaseSync(path, { readOnly: true });
    const doomed = check
      .prepare(
        "SELECT COUNT(*) AS n FROM conversation_ownership WHERE conversation_id = 'conv-doomed'",
      )
      .get();
    check.close();
    expect(Number(doomed?.n)).toBe(0);
    await store.close();
  });
});

describe('SqliteOwnershipStore on a file from before the context fields', () => {
  it('adds the missing columns on open, reads old rows as empty context, stores the new', async () => {
    const path = file();
    const old = new DatabaseSync(path);
    old.exec(`
      CREATE TABLE customer (key_id TEXT PRIMARY KEY, contact_id TEXT NOT NULL DEFAULT '',
        case_id TEXT NOT NULL DEFAULT '', case_number TEXT NOT NULL DEFAULT '',
        vip INTEGER NOT NULL DEFAULT 0, current_conversation_id TEXT);
      CREATE TABLE conversation_ownership (conversation_id TEXT PRIMARY KEY, key_id TEXT NOT NULL,
        agent_id TEXT NOT NULL, agent_name TEXT NOT NULL, queue_id TEXT NOT NULL,
        queue_name TEXT NOT NULL, wrapup_code TEXT NOT NULL, wrapup_name TEXT NOT NULL,
        started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL, transfer_count INTEGER NOT NULL,
        source TEXT NOT NULL, case_id TEXT NOT NULL);
      INSERT INTO customer VALUES ('phone:5511900000009', '', '', '', 0, 'conv-before');
      INSERT INTO conversation_ownership VALUES ('conv-before', 'phone:5511900000009', 'agent-ana',
        'Ana', 'q', 'Q', 'w', 'W', 1000, 2000, 0, 'event', '');
    `);
    old.close();

    const store = new SqliteOwnershipStore(path);
    const key = aPhoneKey('5511900000009');
    expect((await store.findCustomer(key))?.current).toMatchObject({
      conversationId: 'conv-before',
      notes: '',
      unresolved: false,
      attributes: {},
    });
    const newer = anOwnership({
      conversationId: 'conv-after',
      endedAt: NOW,
      notes: 'refund pending',
      unresolved: true,
      attributes: { intent: 'refund' },
    });
    await store.commit([{ key, ownership: newer }]);
    expect((await store.findCustomer(key))?.current).toMatchObject({
      notes: 'refund pending',
      unresolved: true,
      attributes: { intent: 'refund' },
    });
    await store.close();
  });
});
