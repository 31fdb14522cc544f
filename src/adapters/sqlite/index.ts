import { SqliteOwnershipStore } from './ownership-store.sqlite.ts';

/** The embedded store (a SQLite file), used when no Salesforce credentials are set. */
export function createSqliteStore(path: string): SqliteOwnershipStore {
  return new SqliteOwnershipStore(path);
}
