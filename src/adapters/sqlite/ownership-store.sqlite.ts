import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { z } from 'zod';
import { customerKeyId, parseCustomerKeyId, type CustomerKey } from '../../domain/customer-key.ts';
import {
  compareVersions,
  OWNERSHIP_SOURCES,
  supersedes,
  type CustomerRecord,
  type Ownership,
} from '../../domain/ownership.ts';
import type {
  CommitResult,
  OwnershipChange,
  OwnershipStore,
} from '../../ports/ownership-store.port.ts';
import type { FutureVersions, VersionRepair } from '../../ports/version-repair.port.ts';
import type { PersonalDataStore } from '../../privacy/personal-data.port.ts';
import { SqlitePersonalData } from './personal-data.sqlite.ts';

const RECENT_LIMIT = 10;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS customer (
  key_id        TEXT PRIMARY KEY,
  contact_id    TEXT NOT NULL DEFAULT '',
  case_id       TEXT NOT NULL DEFAULT '',
  case_number   TEXT NOT NULL DEFAULT '',
  vip           INTEGER NOT NULL DEFAULT 0,
  current_conversation_id TEXT
);
CREATE TABLE IF NOT EXISTS conversation_ownership (
  conversation_id TEXT PRIMARY KEY,
  key_id          TEXT NOT NULL,
  agent_id        TEXT NOT NULL,
  agent_name      TEXT NOT NULL,
  queue_id        TEXT NOT NULL,
  queue_name      TEXT NOT NULL,
  wrapup_code     TEXT NOT NULL,
  wrapup_name     TEXT NOT NULL,
  started_at      INTEGER NOT NULL,
  ended_at        INTEGER NOT NULL,
  transfer_count  INTEGER NOT NULL,
  source          TEXT NOT NULL,
  case_id         TEXT NOT NULL,
  notes           TEXT NOT NULL DEFAULT '',
  unresolved      INTEGER NOT NULL DEFAULT 0,
  channel         TEXT NOT NULL DEFAULT '',
  attributes      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS conversation_ownership_by_customer
  ON conversation_ownership (key_id, ended_at DESC, conversation_id DESC);
`;

/** Columns added after the first release: files created before get them on open. */
const ADDED_COLUMNS = {
  notes: "TEXT NOT NULL DEFAULT ''",
  unresolved: 'INTEGER NOT NULL DEFAULT 0',
  channel: "TEXT NOT NULL DEFAULT ''",
  attributes: "TEXT NOT NULL DEFAULT '{}'",
} as const;

const Attributes = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'attributes is not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.string()));

// Rows are parsed like any other boundary input: a hand-edited or older file
// fails loudly instead of producing a half-filled decision.
const HistoryRow = z.object({
  conversation_id: z.string(),
  key_id: z.string(),
  agent_id: z.string(),
  agent_name: z.string(),
  queue_id: z.string(),
  queue_name: z.string(),
  wrapup_code: z.string(),
  wrapup_name: z.string(),
  started_at: z.number(),
  ended_at: z.number(),
  transfer_count: z.number(),
  source: z.enum(OWNERSHIP_SOURCES),
  case_id: z.string(),
  notes: z.string(),
  unresolved: z.number(),
  channel: z.string(),
  attributes: Attributes,
});
const CustomerRow = z.object({
  key_id: z.string(),
  contact_id: z.string(),
  case_id: z.string(),
  case_number: z.string(),
  vip: z.number(),
  current_conversation_id: z.string().nullable(),
});

function toOwnership(row: z.output<typeof HistoryRow>): Ownership {
  return {
    conversationId: row.conversation_id,
    agentId: row.agent_id,
    agentName: row.agent_name,
    queueId: row.queue_id,
    queueName: row.queue_name,
    wrapupCode: row.wrapup_code,
    wrapupName: row.wrapup_name,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    transferCount: row.transfer_count,
    source: row.source,
    caseId: row.case_id,
    notes: row.notes,
    unresolved: row.unresolved === 1,
    channel: row.channel,
    attributes: row.attributes,
  };
}

function conversationOfAnotherCustomer(conversationId: string): CommitResult {
  return {
    status: 'failed',
    code: 'CONVERSATION_NAMES_ANOTHER_CUSTOMER',
    message: `conversation ${conversationId} is recorded for another customer; it stays with the first`,
    retryable: false,
  };
}

/**
 * The embedded store (DESIGN §6): a SQLite file via `node:sqlite`, used when no
 * Salesforce credentials are configured. It keeps the same invariants as the
 * Salesforce store, enforced inside one transaction per change: the history row
 * only moves forward per conversation, and the customer's current owner only
 * moves forward per customer.
 */
export class SqliteOwnershipStore implements OwnershipStore, VersionRepair {
  readonly kind = 'sqlite' as const;
  readonly #db: DatabaseSync;
  readonly #statements: Record<
    | 'customer'
    | 'recent'
    | 'history'
    | 'upsertHistory'
    | 'ensureCustomer'
    | 'setCurrent'
    | 'setProfile',
    StatementSync
  >;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec(
      // secure_delete: deleted rows are overwritten with zeros, so an erasure or
      // retention pass leaves no byte of them in free pages (docs/privacy.md).
      'PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;',
    );
    this.#db.exec(SCHEMA);
    this.#addMissingColumns();
    this.#statements = {
      customer: this.#db.prepare('SELECT * FROM customer WHERE key_id = ?'),
      recent: this.#db.prepare(
        `SELECT * FROM conversation_ownership WHERE key_id = ?
         ORDER BY ended_at DESC, conversation_id DESC LIMIT ${RECENT_LIMIT}`,
      ),
      history: this.#db.prepare('SELECT * FROM conversation_ownership WHERE conversation_id = ?'),
      upsertHistory: this.#db.prepare(`
        INSERT INTO conversation_ownership (conversation_id, key_id, agent_id, agent_name,
          queue_id, queue_name, wrapup_code, wrapup_name, started_at, ended_at, transfer_count,
          source, case_id, notes, unresolved, channel, attributes)
        VALUES (:conversationId, :keyId, :agentId, :agentName, :queueId, :queueName, :wrapupCode,
          :wrapupName, :startedAt, :endedAt, :transferCount, :source, :caseId, :notes,
          :unresolved, :channel, :attributes)
        ON CONFLICT (conversation_id) DO UPDATE SET
          agent_id = excluded.agent_id, agent_name = excluded.agent_name,
          queue_id = excluded.queue_id, queue_name = excluded.queue_name,
          wrapup_code = excluded.wrapup_code, wrapup_name = excluded.wrapup_name,
          started_at = excluded.started_at, ended_at = excluded.ended_at,
          transfer_count = excluded.transfer_count, source = excluded.source,
          case_id = excluded.case_id, notes = excluded.notes,
          unresolved = excluded.unresolved, channel = excluded.channel,
          attributes = excluded.attributes
        WHERE excluded.ended_at >= conversation_ownership.ended_at`),
      ensureCustomer: this.#db.prepare(
        'INSERT INTO customer (key_id) VALUES (?) ON CONFLICT DO NOTHING',
      ),
      setCurrent: this.#db.prepare(
        'UPDATE customer SET current_conversation_id = ? WHERE key_id = ?',
      ),
      setProfile: this.#db.prepare(
        'UPDATE customer SET contact_id = ?, case_id = ?, case_number = ?, vip = ? WHERE key_id = ?',
      ),
    };
  }

  async findCustomer(key: CustomerKey): Promise<CustomerRecord | null> {
    return this.#read(customerKeyId(key), key);
  }

  /**
   * One transaction per batch (a worker's batch is up to 200 changes), one
   * savepoint per change: a change that fails is rolled back alone, and the
   * batch costs one WAL commit instead of one per change (a million customers
   * are written in seconds, not minutes; bench/sqlite-scale.bench.ts).
   */
  async commit(changes: readonly OwnershipChange[]): Promise<CommitResult[]> {
    if (changes.length === 0) return [];
    try {
      this.#db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      const message = (error as Error).message;
      return changes.map(() => ({
        status: 'failed',
        code: 'CB_ERR_CRM_UNAVAILABLE',
        message,
        retryable: true,
      }));
    }
    const results = changes.map((change): CommitResult => {
      this.#db.exec('SAVEPOINT change');
      try {
        const result = this.#commitOne(change);
        this.#db.exec('RELEASE change');
        return result;
      } catch (error) {
        this.#db.exec('ROLLBACK TO change');
        this.#db.exec('RELEASE change');
        const message = (error as Error).message;
        return { status: 'failed', code: 'CB_ERR_CRM_UNAVAILABLE', message, retryable: true };
      }
    });
    try {
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      const message = (error as Error).message;
      return changes.map(() => ({
        status: 'failed',
        code: 'CB_ERR_CRM_UNAVAILABLE',
        message,
        retryable: true,
      }));
    }
    return results;
  }

  /** Sets the Contact-like profile (VIP flag, case) — for the demo and operators. */
  async setProfile(
    key: CustomerKey,
    profile: { contactId?: string; caseId?: string; caseNumber?: string; vip?: boolean },
  ): Promise<void> {
    const keyId = customerKeyId(key);
    this.#statements.ensureCustomer.run(keyId);
    const row = CustomerRow.parse(this.#statements.customer.get(keyId));
    this.#statements.setProfile.run(
      profile.contactId ?? row.contact_id,
      profile.caseId ?? row.case_id,
      profile.caseNumber ?? row.case_number,
      (profile.vip ?? row.vip === 1) ? 1 : 0,
      keyId,
    );
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async repairFutureVersions(
    limit: number,
    cappedAt: number,
    apply: boolean,
  ): Promise<FutureVersions> {
    const rows = this.#db
      .prepare('SELECT conversation_id, key_id FROM conversation_ownership WHERE ended_at > ?')
      .all(limit)
      .map((row) => z.object({ conversation_id: z.string(), key_id: z.string() }).parse(row));
    let written = 0;
    if (apply && rows.length > 0) {
      const result = this.#db
        .prepare(
          `UPDATE conversation_ownership SET ended_at = :cappedAt,
             started_at = MIN(started_at, :cappedAt) WHERE ended_at > :limit`,
        )
        .run({ cappedAt, limit });
      written = Number(result.changes);
    }
    const keyIds = [...new Set(rows.map((row) => row.key_id))];
    // A genuine wrap-up recorded while the owner was pinned may now be the newest.
    const recompute = this.#db.prepare(
      `UPDATE customer SET current_conversation_id = (
         SELECT conversation_id FROM conversation_ownership o WHERE o.key_id = customer.key_id
         ORDER BY ended_at DESC, conversation_id DESC LIMIT 1) WHERE key_id = ?`,
    );
    if (apply) for (const keyId of keyIds) recompute.run(keyId);
    return {
      conversations: rows.map((row) => row.conversation_id),
      customers: keyIds.flatMap((id) => parseCustomerKeyId(id) ?? []),
      written,
    };
  }

  /** The privacy side of this store: export, erase and retention (issue 16). */
  personalData(): PersonalDataStore {
    return new SqlitePersonalData(this.#db);
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  /** One change inside the batch's transaction (its savepoint is the caller's). */
  #commitOne({ key, ownership }: OwnershipChange): CommitResult {
    const keyId = customerKeyId(key);
    const existing = this.#statements.history.get(ownership.conversationId);
    if (existing !== undefined && HistoryRow.parse(existing).key_id !== keyId) {
      // A conversation stays with the customer it first named: a second key
      // is flagged (the job fails for good, listed by `failed`), never rewritten.
      return conversationOfAnotherCustomer(ownership.conversationId);
    }
    this.#statements.upsertHistory.run({
      ...ownership,
      keyId,
      unresolved: ownership.unresolved ? 1 : 0,
      attributes: JSON.stringify(ownership.attributes),
    });
    this.#statements.ensureCustomer.run(keyId);
    const row = CustomerRow.parse(this.#statements.customer.get(keyId));
    const stored = row.current_conversation_id
      ? HistoryRow.parse(this.#statements.history.get(row.current_conversation_id))
      : null;
    const storedVersion = stored && {
      endedAt: stored.ended_at,
      conversationId: stored.conversation_id,
    };
    // Same conversation re-wrapped later (parked, resumed) counts as newer too.
    const applied =
      supersedes(ownership, storedVersion) ||
      (storedVersion !== null &&
        storedVersion.conversationId === ownership.conversationId &&
        compareVersions(ownership, storedVersion) === 0);
    if (applied) this.#statements.setCurrent.run(ownership.conversationId, keyId);
    return { status: applied ? 'applied' : 'superseded', record: this.#read(keyId, key)! };
  }

  #addMissingColumns(): void {
    const present = new Set(
      this.#db
        .prepare('PRAGMA table_info(conversation_ownership)')
        .all()
        .map((column) => String(column.name)),
    );
    for (const [name, definition] of Object.entries(ADDED_COLUMNS)) {
      if (!present.has(name)) {
        this.#db.exec(`ALTER TABLE conversation_ownership ADD COLUMN ${name} ${definition}`);
      }
    }
  }

  #read(keyId: string, key: CustomerKey): CustomerRecord | null {
    const raw = this.#statements.customer.get(keyId);
    if (raw === undefined) return null;
    const row = CustomerRow.parse(raw);
    const recent = this.#statements.recent.all(keyId).map((r) => toOwnership(HistoryRow.parse(r)));
    const current = row.current_conversation_id
      ? (recent.find((o) => o.conversationId === row.current_conversation_id) ??
        toOwnership(HistoryRow.parse(this.#statements.history.get(row.current_conversation_id))))
      : null;
    const caseId = current?.caseId || row.case_id;
    return {
      key,
      contactId: row.contact_id,
      caseId,
      caseNumber: row.case_number,
      // The profile's case is the customer's open Case (setProfile); no other is known open.
      caseOpen: row.case_id !== '' && caseId === row.case_id,
      vip: row.vip === 1,
      current,
      recent,
    };
  }
}
