import { customerKeyId, normalizeAddress, type CustomerKey } from '../domain/customer-key.ts';
import { BridgeError } from '../errors/catalogue.ts';
import type { Logger } from '../observability/logger.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { ErasureTombstones } from '../ports/erasure-tombstones.port.ts';
import type {
  DataSubject,
  ErasureCounts,
  PersonalDataStore,
  StoreHoldings,
} from './personal-data.port.ts';

export type PrivacyRequestType = 'export' | 'delete' | 'purge';

/** Who asked: an admin token's id (`auth`), `cli`, or `worker` (the daily retention pass). */
export type PrivacyCaller = string;

export interface PrivacyDeps {
  readonly stores: readonly PersonalDataStore[];
  /** Null when PRIVACY_HASH_SECRET is not set: export and erasure are refused. */
  readonly tombstones: ErasureTombstones | null;
  /**
   * Runs `work` holding the write locks of every key, in the order the
   * reconcile worker takes them (main.ts hands it the worker's own
   * `withCustomerLocks`), so an erasure and a commit exclude each other.
   */
  readonly lockCustomer: <T>(keys: readonly CustomerKey[], work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** HISTORY_RETENTION_DAYS in ms. */
  readonly historyRetentionMs: number;
  readonly onRequest?: (type: PrivacyRequestType, outcome: 'ok' | 'dry_run' | 'error') => void;
}

export interface ErasureReport {
  readonly dryRun: boolean;
  readonly stores: Readonly<Record<string, ErasureCounts>>;
}

export interface ExportReport {
  readonly keys: readonly string[];
  readonly conversationIds: readonly string[];
  readonly stores: readonly StoreHoldings[];
}

/**
 * Customers' data rights (issue 16) over every store of personal data:
 * export, erase and retention. A request names addresses in any spelling (or
 * BSUIDs); each is resolved to its canonical key, keys a store links to them
 * are added, and every store's conversations of those keys are gathered
 * before any store is asked. Every request leaves one audit line: type, the
 * keyed hashes of the keys, counts, caller; never a number.
 */
export class PrivacyService {
  readonly #deps: PrivacyDeps;

  constructor(deps: PrivacyDeps) {
    this.#deps = deps;
  }

  async export(addresses: readonly string[], caller: PrivacyCaller): Promise<ExportReport> {
    const tombstones = this.#tombstones();
    return this.#audited('export', caller, async (audit) => {
      const subject = await this.#subject(addresses);
      audit.subjects = subject.keys.map((key) => tombstones.hash(key));
      const stores: StoreHoldings[] = [];
      for (const store of this.#deps.stores) stores.push(await store.exportSubject(subject));
      audit.counts = Object.fromEntries(stores.map((s) => [s.store, countItems(s.items)] as const));
      return {
        keys: subject.keys.map(customerKeyId),
        conversationIds: subject.conversationIds,
        stores,
      };
    });
  }

  /**
   * Erases the customer everywhere. The tombstone is written first, so a job
   * running meanwhile is dropped; the stores are erased under the customer's
   * lock, so a commit already past its tombstone check finishes before.
   */
  async erase(
    addresses: readonly string[],
    options: { dryRun: boolean },
    caller: PrivacyCaller,
  ): Promise<ErasureReport> {
    const tombstones = this.#tombstones();
    return this.#audited('delete', caller, async (audit) => {
      const subject = await this.#subject(addresses);
      audit.subjects = subject.keys.map((key) => tombstones.hash(key));
      audit.dryRun = options.dryRun;
      if (!options.dryRun) await tombstones.record(subject.keys, this.#deps.clock.now());
      const stores = await this.#deps.lockCustomer(subject.keys, () =>
        this.#eachStore((store) => store.eraseSubject(subject, options)),
      );
      audit.counts = stores;
      return { dryRun: options.dryRun, stores };
    });
  }

  /** Retention: history older than HISTORY_RETENTION_DAYS, failed jobs older than theirs. */
  async purge(options: { dryRun: boolean }, caller: PrivacyCaller): Promise<ErasureReport> {
    return this.#audited('purge', caller, async (audit) => {
      audit.dryRun = options.dryRun;
      const cutoff = this.#deps.clock.now() - this.#deps.historyRetentionMs;
      audit.cutoff = new Date(cutoff).toISOString();
      const stores = await this.#eachStore((store) => store.purgeOlderThan(cutoff, options));
      audit.counts = stores;
      return { dryRun: options.dryRun, stores };
    });
  }

  #tombstones(): ErasureTombstones {
    if (this.#deps.tombstones) return this.#deps.tombstones;
    throw new BridgeError(
      'CB_ERR_PRIVACY_NOT_CONFIGURED',
      'export and erasure need PRIVACY_HASH_SECRET (erasure tombstones and audit lines are keyed with it)',
    );
  }

  /** Addresses → keys (plus linked keys) → every store's conversations of them. */
  async #subject(addresses: readonly string[]): Promise<DataSubject> {
    const keys = new Map<string, CustomerKey>();
    addresses.forEach((address, index) => {
      const result = normalizeAddress(address);
      if (!result.ok) {
        throw new BridgeError('CB_ERR_VALIDATION', `address ${index + 1}: ${result.reason}`, {
          details: { errors: [{ field: `address[${index}]`, message: result.reason }] },
        });
      }
      keys.set(customerKeyId(result.key), result.key);
    });
    for (const store of this.#deps.stores) {
      for (const key of (await store.linkedKeys?.([...keys.values()])) ?? []) {
        keys.set(customerKeyId(key), key);
      }
    }
    const conversations = new Set<string>();
    for (const store of this.#deps.stores) {
      for (const id of await store.conversationsOf([...keys.values()])) conversations.add(id);
    }
    return { keys: [...keys.values()], conversationIds: [...conversations].sort() };
  }

  /** Every store, even after one fails; a failure fails the request once all have run. */
  async #eachStore(
    work: (store: PersonalDataStore) => Promise<ErasureCounts>,
  ): Promise<Record<string, ErasureCounts>> {
    const counts: Record<string, ErasureCounts> = {};
    const failed: string[] = [];
    for (const store of this.#deps.stores) {
      try {
        counts[store.name] = await work(store);
      } catch (error) {
        failed.push(store.name);
        this.#deps.logger.error({ err: error, store: store.name }, 'privacy: a store failed');
      }
    }
    if (failed.length > 0) {
      throw new BridgeError(
        'CB_ERR_PRIVACY_INCOMPLETE',
        `the ${failed.join(', ')} store(s) failed; the others completed; send the request again`,
        { details: { stores: counts, failed } },
      );
    }
    return counts;
  }

  /** Runs one request and writes its audit line, whatever the outcome. */
  async #audited<T>(
    type: PrivacyRequestType,
    caller: PrivacyCaller,
    body: (audit: Record<string, unknown>) => Promise<T>,
  ): Promise<T> {
    const audit: Record<string, unknown> = { audit: 'privacy', type, caller };
    try {
      const result = await body(audit);
      const outcome = audit.dryRun === true ? 'dry_run' : 'ok';
      this.#deps.onRequest?.(type, outcome);
      this.#deps.logger.info({ ...audit, outcome }, `privacy ${type}`);
      return result;
    } catch (error) {
      this.#deps.onRequest?.(type, 'error');
      const code = error instanceof BridgeError ? error.code : 'CB_ERR_INTERNAL';
      this.#deps.logger.warn({ ...audit, outcome: 'error', code }, `privacy ${type} failed`);
      throw error;
    }
  }
}

function countItems(items: StoreHoldings['items']): Record<string, number> {
  return Object.fromEntries(Object.entries(items).map(([name, list]) => [name, list.length]));
}
