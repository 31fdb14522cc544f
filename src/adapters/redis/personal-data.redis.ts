import type { Cluster, Redis } from 'ioredis';
import {
  customerKeyId,
  keyForms,
  normalizeAddress,
  type CustomerKey,
} from '../../domain/customer-key.ts';
import type {
  DataSubject,
  ErasureCounts,
  ErasureOptions,
  PersonalDataStore,
  StoreHoldings,
} from '../../privacy/personal-data.port.ts';
import { PersistenceRewrite } from './aof-rewrite.redis.ts';
import type { RedisClient } from './connections.redis.ts';
import { QueueData } from './queue-data.redis.ts';

export interface RedisPersonalDataOptions {
  readonly prefix: string;
  /** The reconcile queue's name. */
  readonly queueName: string;
  /** The near caches' invalidation channel (`{prefix}:owner-changed`). */
  readonly invalidationChannel: string;
  /** FAILED_JOB_RETENTION_DAYS in ms. */
  readonly failedJobRetentionMs: number;
  /** PRIVACY_AOF_REWRITE_DEBOUNCE_MS. */
  readonly rewriteDebounceMs: number;
  readonly onProblem?: (message: string) => void;
  readonly now?: () => number;
}

const ADDRESS_FIELDS = ['ani', 'addressFrom', 'addressTo', 'dnis'] as const;
const CONVERSATION_SUFFIXES = ['events', 'bodies', 'fingerprints', 'reconciled-ids'] as const;

/**
 * Everything the bridge keeps in Redis on a customer (docs/privacy.md): the
 * event log of its conversations (found by id and by scanning every stored
 * event body for any form of its number or id), its cache entries and locks
 * under every form, and the reconcile jobs of its conversations in every
 * state. An erasure also tells every process to drop its near-cache copy and
 * asks Redis to rewrite its persistence files (debounced).
 */
export class RedisPersonalData implements PersonalDataStore {
  readonly name = 'redis';
  readonly #redis: RedisClient;
  readonly #options: RedisPersonalDataOptions;
  readonly #queue: QueueData;
  readonly #rewrite: PersistenceRewrite;

  constructor(redis: RedisClient, options: RedisPersonalDataOptions) {
    this.#redis = redis;
    this.#options = options;
    this.#queue = new QueueData(redis, options);
    this.#rewrite = new PersistenceRewrite(redis, {
      debounceMs: options.rewriteDebounceMs,
      ...(options.onProblem && { onProblem: options.onProblem }),
    });
  }

  async conversationsOf(keys: readonly CustomerKey[]): Promise<string[]> {
    const ids = new Set(keys.map(customerKeyId));
    const forms = keys.flatMap(keyForms);
    const found: string[] = [];
    const head = `${this.#options.prefix}:conv:`;
    for (const bodiesKey of await this.#scan(`${head}*:bodies`)) {
      const bodies = await this.#redis.hvals(bodiesKey);
      if (bodies.some((raw) => mentions(raw, ids, forms))) {
        found.push(bodiesKey.slice(head.length, -':bodies'.length));
      }
    }
    return found;
  }

  async exportSubject(subject: DataSubject): Promise<StoreHoldings> {
    const conversations = await this.#conversations(subject);
    const eventLog = [];
    for (const id of conversations) {
      const bodies = await this.#redis.hvals(this.#conversationKey(id, 'bodies'));
      if (bodies.length > 0) eventLog.push({ conversationId: id, events: bodies.map(parse) });
    }
    const cache = [];
    for (const key of this.#cacheKeys(subject.keys)) {
      const value = await this.#redis.get(key);
      if (value !== null) cache.push({ key, value: parse(value) });
    }
    const locks = [];
    for (const key of this.#lockKeys(subject.keys)) {
      if ((await this.#redis.exists(key)) === 1) locks.push({ key });
    }
    const forms = subject.keys.flatMap(keyForms);
    const jobs = await this.#queue.export(await this.#queue.jobsOf(new Set(conversations), forms));
    return { store: this.name, items: { eventLog, cache, locks, jobs } };
  }

  async eraseSubject(subject: DataSubject, options: ErasureOptions): Promise<ErasureCounts> {
    const conversations = await this.#conversations(subject);
    const conversationKeys = conversations.flatMap((id) =>
      CONVERSATION_SUFFIXES.map((suffix) => this.#conversationKey(id, suffix)),
    );
    const customerKeys = [...this.#cacheKeys(subject.keys), ...this.#lockKeys(subject.keys)];
    const present = await this.#present([...conversationKeys, ...customerKeys]);
    const forms = subject.keys.flatMap(keyForms);
    const jobs = await this.#queue.jobsOf(new Set(conversations), forms);
    const counts = {
      eventLogKeys: present.filter((key) => conversationKeys.includes(key)).length,
      cacheAndLockKeys: present.filter((key) => customerKeys.includes(key)).length,
      jobs: jobs.length,
    };
    if (options.dryRun) return counts;
    if (present.length > 0) await this.#redis.del(...present);
    const queue = await this.#queue.erase(jobs, new Set(conversations), forms);
    // Every process drops its near-cache copy of every form of every key.
    for (const key of this.#formKeys(subject.keys)) {
      await this.#redis.publish(this.#options.invalidationChannel, customerKeyId(key));
    }
    this.#rewrite.schedule();
    return {
      ...counts,
      jobs: queue.jobs,
      activeJobsLeft: queue.activeLeft,
      queueEventEntries: queue.streamEntries,
    };
  }

  async purgeOlderThan(_cutoff: number, options: ErasureOptions): Promise<ErasureCounts> {
    // The event log, cache and locks expire on their own (8 days at most);
    // failed jobs have their own retention, FAILED_JOB_RETENTION_DAYS.
    const now = (this.#options.now ?? Date.now)();
    const failedJobs = await this.#queue.purgeFailed(
      this.#options.failedJobRetentionMs,
      options.dryRun,
      now,
    );
    if (!options.dryRun && failedJobs > 0) this.#rewrite.schedule();
    return { failedJobs };
  }

  /** Asks for the pending persistence rewrite now (a CLI run ending); what was requested. */
  flushRewrite(): Promise<string[]> {
    return this.#rewrite.flush();
  }

  async close(): Promise<void> {
    await this.flushRewrite();
    await this.#queue.close();
  }

  async #conversations(subject: DataSubject): Promise<string[]> {
    return [
      ...new Set([...subject.conversationIds, ...(await this.conversationsOf(subject.keys))]),
    ];
  }

  #conversationKey(conversationId: string, suffix: string): string {
    return `${this.#options.prefix}:conv:${conversationId}:${suffix}`;
  }

  /** Each key, and for a number each stored form of it as a key of its own. */
  #formKeys(keys: readonly CustomerKey[]): CustomerKey[] {
    const all = keys.flatMap((key) => keyForms(key).map((value) => ({ kind: key.kind, value })));
    return [...new Map(all.map((key) => [customerKeyId(key), key])).values()];
  }

  #cacheKeys(keys: readonly CustomerKey[]): string[] {
    return this.#formKeys(keys).map((key) => `${this.#options.prefix}:owner:${customerKeyId(key)}`);
  }

  #lockKeys(keys: readonly CustomerKey[]): string[] {
    return this.#formKeys(keys).map((key) => `${this.#options.prefix}:lock:${customerKeyId(key)}`);
  }

  async #present(keys: readonly string[]): Promise<string[]> {
    const present: string[] = [];
    for (const key of keys) if ((await this.#redis.exists(key)) === 1) present.push(key);
    return present;
  }

  /** SCAN on one server, or on every master of a Cluster. */
  async #scan(pattern: string): Promise<string[]> {
    const nodes: Redis[] = isCluster(this.#redis) ? this.#redis.nodes('master') : [this.#redis];
    const keys = new Set<string>();
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        for (const key of batch) keys.add(key);
      } while (cursor !== '0');
    }
    return [...keys];
  }
}

function isCluster(redis: RedisClient): redis is Cluster {
  return 'nodes' in redis && typeof redis.nodes === 'function' && 'slots' in redis;
}

/** A stored event names the customer: an address field normalizes to one of its keys, or a form appears anywhere. */
function mentions(raw: string, ids: ReadonlySet<string>, forms: readonly string[]): boolean {
  if (forms.some((form) => raw.includes(form))) return true;
  const body = (parse(raw) as { body?: Record<string, unknown> } | null)?.body ?? {};
  return ADDRESS_FIELDS.some((field) => {
    const value = body[field];
    if (typeof value !== 'string') return false;
    const address = normalizeAddress(value);
    return address.ok && ids.has(customerKeyId(address.key));
  });
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
