import type { DatabaseSync } from 'node:sqlite';
import { customerKeyId, keyForms, type CustomerKey } from '../../domain/customer-key.ts';
import type {
  DataSubject,
  ErasureCounts,
  ErasureOptions,
  PersonalDataStore,
  StoreHoldings,
} from '../../privacy/personal-data.port.ts';

/** Every key id a customer may be stored under: each form of the number, or the id. */
function keyIds(keys: readonly CustomerKey[]): string[] {
  const ids = keys.flatMap((key) =>
    keyForms(key).map((value) => customerKeyId({ kind: key.kind, value })),
  );
  return [...new Set(ids)];
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * What the SQLite store keeps on a customer (docs/privacy.md): its `customer`
 * row and its `conversation_ownership` rows. Deletes run with
 * `secure_delete` on (set on every connection the store opens: freed cells
 * and pages are zeroed) and are followed by `wal_checkpoint(TRUNCATE)`, so no
 * byte of a deleted row stays in a free page or in the WAL.
 */
export class SqlitePersonalData implements PersonalDataStore {
  readonly name = 'sqlite';
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  async conversationsOf(keys: readonly CustomerKey[]): Promise<string[]> {
    const ids = keyIds(keys);
    if (ids.length === 0) return [];
    return this.#db
      .prepare(
        `SELECT conversation_id FROM conversation_ownership WHERE key_id IN (${placeholders(ids.length)})`,
      )
      .all(...ids)
      .map((row) => String(row.conversation_id));
  }

  async exportSubject(subject: DataSubject): Promise<StoreHoldings> {
    const { ids, conversations } = this.#scope(subject);
    const customers = this.#db
      .prepare(`SELECT * FROM customer WHERE key_id IN (${placeholders(ids.length)})`)
      .all(...ids);
    const history = this.#db
      .prepare(
        `SELECT * FROM conversation_ownership WHERE key_id IN (${placeholders(ids.length)})
         OR conversation_id IN (${placeholders(conversations.length)}) ORDER BY ended_at`,
      )
      .all(...ids, ...conversations);
    return { store: this.name, items: { customers: plain(customers), history: plain(history) } };
  }

  async eraseSubject(subject: DataSubject, options: ErasureOptions): Promise<ErasureCounts> {
    const { ids, conversations } = this.#scope(subject);
    const historyWhere = `key_id IN (${placeholders(ids.length)}) OR conversation_id IN (${placeholders(conversations.length)})`;
    const customerWhere = `key_id IN (${placeholders(ids.length)})`;
    if (options.dryRun) {
      return {
        historyRows: this.#count('conversation_ownership', historyWhere, [
          ...ids,
          ...conversations,
        ]),
        customers: this.#count('customer', customerWhere, ids),
      };
    }
    this.#db.exec('BEGIN IMMEDIATE');
    let historyRows: number;
    let customers: number;
    try {
      historyRows = Number(
        this.#db
          .prepare(`DELETE FROM conversation_ownership WHERE ${historyWhere}`)
          .run(...ids, ...conversations).changes,
      );
      customers = Number(
        this.#db.prepare(`DELETE FROM customer WHERE ${customerWhere}`).run(...ids).changes,
      );
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    this.#checkpoint();
    return { historyRows, customers };
  }

  /**
   * Retention: history rows that ended before `cutoff` are deleted; a customer
   * whose current conversation is among them loses its current owner, and a
   * customer left with no history and no profile (Contact, Case, VIP) is
   * deleted too.
   */
  async purgeOlderThan(cutoff: number, options: ErasureOptions): Promise<ErasureCounts> {
    const staleCurrent = `current_conversation_id IN (
      SELECT conversation_id FROM conversation_ownership WHERE ended_at < ?)`;
    const empty = `current_conversation_id IS NULL AND contact_id = '' AND case_id = ''
      AND case_number = '' AND vip = 0 AND NOT EXISTS (
        SELECT 1 FROM conversation_ownership o WHERE o.key_id = customer.key_id)`;
    if (options.dryRun) {
      return {
        historyRows: this.#count('conversation_ownership', 'ended_at < ?', [cutoff]),
        currentOwnersCleared: this.#count('customer', staleCurrent, [cutoff]),
      };
    }
    this.#db.exec('BEGIN IMMEDIATE');
    const counts = { historyRows: 0, currentOwnersCleared: 0, customers: 0 };
    try {
      counts.currentOwnersCleared = Number(
        this.#db
          .prepare(`UPDATE customer SET current_conversation_id = NULL WHERE ${staleCurrent}`)
          .run(cutoff).changes,
      );
      counts.historyRows = Number(
        this.#db.prepare('DELETE FROM conversation_ownership WHERE ended_at < ?').run(cutoff)
          .changes,
      );
      counts.customers = Number(
        this.#db.prepare(`DELETE FROM customer WHERE ${empty}`).run().changes,
      );
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    this.#checkpoint();
    return counts;
  }

  #scope(subject: DataSubject) {
    return { ids: keyIds(subject.keys), conversations: [...subject.conversationIds] };
  }

  #count(table: string, where: string, values: readonly (string | number)[]): number {
    const row = this.#db
      .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
      .get(...values);
    return Number(row?.n ?? 0);
  }

  /**
   * Moves every WAL frame into the database file (whose freed pages
   * secure_delete has zeroed) and truncates the WAL to nothing. A reader
   * holding an old snapshot can keep frames alive: retried, then reported.
   */
  #checkpoint(): void {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const row = this.#db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
      if (Number(row?.busy ?? 0) === 0) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
    throw new Error(
      'SQLite: the WAL could not be checkpointed (another process holds a read snapshot); run the request again',
    );
  }
}

/** Rows as plain JSON objects (node:sqlite returns null-prototype objects). */
function plain(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) => ({ ...row }));
}
