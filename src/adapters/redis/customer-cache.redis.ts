import type { RedisClient } from './connections.redis.ts';
import { z } from 'zod';
import { customerKeyId, type CustomerKey } from '../../domain/customer-key.ts';
import { capNotes } from '../../domain/conversation-context.ts';
import { OWNERSHIP_SOURCES, type CustomerRecord } from '../../domain/ownership.ts';
import type { CacheLookup, CustomerCache } from '../../ports/customer-cache.port.ts';

const OwnershipJson = z.object({
  conversationId: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  queueId: z.string(),
  queueName: z.string(),
  wrapupCode: z.string(),
  wrapupName: z.string(),
  startedAt: z.number(),
  endedAt: z.number(),
  transferCount: z.number(),
  source: z.enum(OWNERSHIP_SOURCES),
  caseId: z.string(),
  // Defaults keep entries written before the context fields readable.
  notes: z.string().default(''),
  unresolved: z.boolean().default(false),
  channel: z.string().default(''),
  attributes: z.record(z.string(), z.string()).default({}),
});
// What the cache stores: the record without its key (the Redis key is the key).
const CachedRecord = z.object({
  v: z.literal(1),
  record: z
    .object({
      contactId: z.string(),
      caseId: z.string(),
      caseNumber: z.string(),
      caseOpen: z.boolean().default(false),
      vip: z.boolean(),
      current: OwnershipJson.nullable(),
      recent: z.array(OwnershipJson),
      // The customer's other keys (a Contact with a number and a user id).
      aliases: z
        .array(z.object({ kind: z.enum(['phone', 'bsuid']), value: z.string().min(1) }))
        .optional(),
    })
    .nullable(),
});

export interface RedisCustomerCacheOptions {
  prefix: string;
  ttlSeconds: number;
  negativeTtlSeconds: number;
  onResult?: (result: 'hit' | 'negative_hit' | 'miss' | 'error') => void;
}

/**
 * Read-through ownership cache. Entries are versioned JSON; a negative entry
 * (`record: null`) marks a customer the store does not know, for a short time.
 * Every failure (Redis down, timeout, a corrupt entry) is a miss: the lookup
 * then reads the store directly.
 */
export class RedisCustomerCache implements CustomerCache {
  readonly #redis: RedisClient;
  readonly #options: RedisCustomerCacheOptions;

  constructor(redis: RedisClient, options: RedisCustomerCacheOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  #key(key: CustomerKey): string {
    return `${this.#options.prefix}:owner:${customerKeyId(key)}`;
  }

  async get(key: CustomerKey): Promise<CacheLookup> {
    let raw: string | null;
    try {
      raw = await this.#redis.get(this.#key(key));
    } catch {
      this.#options.onResult?.('error');
      return { hit: false };
    }
    if (raw === null) {
      this.#options.onResult?.('miss');
      return { hit: false };
    }
    const parsed = safeJson(raw);
    const entry = CachedRecord.safeParse(parsed);
    if (!entry.success) {
      this.#options.onResult?.('error');
      return { hit: false };
    }
    const record = entry.data.record;
    this.#options.onResult?.(record ? 'hit' : 'negative_hit');
    return { hit: true, record: record ? { key, ...record } : null };
  }

  async fill(key: CustomerKey, record: CustomerRecord | null): Promise<void> {
    await this.#write(key, record, true);
  }

  async set(key: CustomerKey, record: CustomerRecord | null): Promise<boolean> {
    return this.#write(key, record, false);
  }

  async delete(key: CustomerKey): Promise<boolean> {
    try {
      await this.#redis.del(this.#key(key));
      return true;
    } catch {
      return false;
    }
  }

  async #write(
    key: CustomerKey,
    record: CustomerRecord | null,
    onlyIfEmpty: boolean,
  ): Promise<boolean> {
    const ttl = record ? this.#options.ttlSeconds : this.#options.negativeTtlSeconds;
    const value = JSON.stringify({ v: 1, record: record && withoutKey(record) });
    try {
      if (onlyIfEmpty) await this.#redis.set(this.#key(key), value, 'EX', ttl, 'NX');
      else await this.#redis.set(this.#key(key), value, 'EX', ttl);
      return true;
    } catch {
      // A cache that cannot be written is only slower; the store stays the truth.
      return false;
    }
  }
}

/**
 * Notes kept in the cache: the lookup answers with at most 280 bytes of them,
 * so Redis holds no more personal text than that needs (the CRM keeps it whole).
 */
export const CACHED_NOTES_MAX_CHARS = 500;

/**
 * The record without its key (the Redis key is the key), holding the least
 * personal data the lookup needs: the current owner's notes cut short, and no
 * notes or attributes on older rows (the policy only reads their agent, queue
 * and time).
 */
function withoutKey({ key: _key, ...rest }: CustomerRecord): Omit<CustomerRecord, 'key'> {
  const current = rest.current && {
    ...rest.current,
    notes: capNotes(rest.current.notes, CACHED_NOTES_MAX_CHARS),
  };
  return {
    ...rest,
    current,
    recent: rest.recent.map((o) =>
      o.conversationId === current?.conversationId ? current : { ...o, notes: '', attributes: {} },
    ),
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
