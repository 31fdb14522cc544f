import type { RedisClient } from './connections.redis.ts';
import { z } from 'zod';
import {
  DetailEventBody,
  TOPIC_KINDS,
  eventContentFingerprint,
  eventIdentity,
  type WrapUpEvent,
} from '../../reconcile/events.contract.ts';
import type { EventLog, RecordOutcome } from '../../reconcile/event-log.port.ts';

/** Genesys retries EventBridge deliveries for up to four days; keep a margin. */
const RETENTION_SECONDS = 8 * 24 * 3600;

const StoredEvent = z.object({
  kind: z.enum(TOPIC_KINDS),
  topicName: z.string(),
  body: DetailEventBody,
  receivedAt: z.number().optional(),
});

// First delivery wins: a repeat with the same content is a duplicate, one with
// other content a conflict; neither touches what was stored. An identity
// stored before fingerprints were kept counts as a duplicate.
// KEYS: order, bodies, fingerprints. ARGV: identity, eventTime, body, fingerprint, ttl.
const RECORD = `
local seen = redis.call('HGET', KEYS[3], ARGV[1])
if seen then
  if seen == ARGV[4] then return 0 end
  return 2
end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[5]) end
return 1`;

const OUTCOMES: Record<number, RecordOutcome> = { 0: 'duplicate', 1: 'new', 2: 'conflict' };

/**
 * Per conversation: a sorted set of event identities scored by eventTime, a hash
 * of their bodies, a hash of their content fingerprints, and the set of
 * identities reconciled. All keys share the configured prefix (a Redis Cluster
 * hash tag) and expire after the retry horizon.
 */
export class RedisEventLog implements EventLog {
  readonly #redis: RedisClient;
  readonly #prefix: string;

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  #keys(conversationId: string) {
    const base = `${this.#prefix}:conv:${conversationId}`;
    return {
      order: `${base}:events`,
      bodies: `${base}:bodies`,
      fingerprints: `${base}:fingerprints`,
      marks: `${base}:reconciled-ids`,
    };
  }

  async record(events: readonly WrapUpEvent[]): Promise<RecordOutcome[]> {
    if (events.length === 0) return [];
    const multi = this.#redis.multi();
    for (const event of events) {
      const keys = this.#keys(event.body.conversationId);
      multi.eval(
        RECORD,
        3,
        keys.order,
        keys.bodies,
        keys.fingerprints,
        eventIdentity(event),
        String(event.body.eventTime),
        JSON.stringify(event),
        eventContentFingerprint(event),
        String(RETENTION_SECONDS),
      );
    }
    const results = await multi.exec();
    if (!results) throw new Error('event log transaction was aborted');
    return results.map(([error, code]) => {
      if (error) throw error;
      return OUTCOMES[Number(code)] ?? 'conflict';
    });
  }

  async recent(conversationId: string, limit: number): Promise<WrapUpEvent[]> {
    const keys = this.#keys(conversationId);
    const identities = await this.#redis.zrevrange(keys.order, 0, limit - 1);
    if (identities.length === 0) return [];
    const bodies = await this.#redis.hmget(keys.bodies, ...identities);
    return bodies.flatMap((raw) => (raw === null ? [] : [StoredEvent.parse(JSON.parse(raw))]));
  }

  async reconciledIdentities(conversationId: string): Promise<ReadonlySet<string>> {
    return new Set(await this.#redis.smembers(this.#keys(conversationId).marks));
  }

  async markReconciled(conversationId: string, identities: readonly string[]): Promise<void> {
    if (identities.length === 0) return;
    const key = this.#keys(conversationId).marks;
    await this.#redis
      .multi()
      .sadd(key, ...identities)
      .expire(key, RETENTION_SECONDS)
      .exec();
  }
}
