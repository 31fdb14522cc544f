import type { RedisClient } from './connections.redis.ts';
import { z } from 'zod';
import {
  DetailEventBody,
  TOPIC_KINDS,
  eventIdentity,
  type WrapUpEvent,
} from '../../reconcile/events.contract.ts';
import type { EventLog } from '../../reconcile/event-log.port.ts';

/** Genesys retries EventBridge deliveries for up to four days; keep a margin. */
const RETENTION_SECONDS = 8 * 24 * 3600;

const StoredEvent = z.object({
  kind: z.enum(TOPIC_KINDS),
  topicName: z.string(),
  body: DetailEventBody,
});

// Raise-only: a slow worker finishing late must not lower the mark.
const RAISE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return 1`;

/**
 * Per conversation: a sorted set of event identities scored by eventTime, a hash
 * of their bodies, and a reconciled-version mark. All keys share the configured
 * prefix (a Redis Cluster hash tag) and expire after the retry horizon.
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
    return { order: `${base}:events`, bodies: `${base}:bodies`, mark: `${base}:reconciled` };
  }

  async record(events: readonly WrapUpEvent[]): Promise<boolean[]> {
    if (events.length === 0) return [];
    const multi = this.#redis.multi();
    for (const event of events) {
      const keys = this.#keys(event.body.conversationId);
      const identity = eventIdentity(event);
      multi.zadd(keys.order, 'NX', event.body.eventTime, identity);
      multi.hset(keys.bodies, identity, JSON.stringify(event));
      multi.expire(keys.order, RETENTION_SECONDS);
      multi.expire(keys.bodies, RETENTION_SECONDS);
    }
    const results = await multi.exec();
    if (!results) throw new Error('event log transaction was aborted');
    return events.map((_, index) => {
      const [error, added] = results[index * 4]!;
      if (error) throw error;
      return added === 1;
    });
  }

  async recent(conversationId: string, limit: number): Promise<WrapUpEvent[]> {
    const keys = this.#keys(conversationId);
    const identities = await this.#redis.zrevrange(keys.order, 0, limit - 1);
    if (identities.length === 0) return [];
    const bodies = await this.#redis.hmget(keys.bodies, ...identities);
    return bodies.flatMap((raw) => (raw === null ? [] : [StoredEvent.parse(JSON.parse(raw))]));
  }

  async reconciledVersion(conversationId: string): Promise<number> {
    const raw = await this.#redis.get(this.#keys(conversationId).mark);
    return raw === null ? 0 : Number(raw);
  }

  async markReconciled(conversationId: string, version: number): Promise<void> {
    await this.#redis.eval(
      RAISE,
      1,
      this.#keys(conversationId).mark,
      String(version),
      String(RETENTION_SECONDS),
    );
  }
}
