import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CustomerKey } from '../../src/domain/customer-key.ts';
import { anEvent } from './memory-event-log.ts';
import { anOwnership, aCustomer } from '../factories/ownership.factory.ts';
import { RedisEventLog } from '../../src/adapters/redis/event-log.redis.ts';
import { RedisCustomerCache } from '../../src/adapters/redis/customer-cache.redis.ts';
import type { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';

/** A customer seeded everywhere: its number in every form it may be stored in. */
export interface SeededCustomer {
  readonly key: CustomerKey;
  /** Every string that must not survive an erasure: digit forms, spellings, the note. */
  readonly traces: readonly string[];
  readonly conversations: readonly string[];
}

export const CUSTOMER_A = {
  key: { kind: 'phone', value: '5511987654321' } as CustomerKey,
  // The canonical form, the Brazilian form without the ninth digit, a spelling.
  traces: ['5511987654321', '551187654321', '8765-4321', 'Note about Alice'],
  conversations: ['conv-a1', 'conv-a2'],
};
export const CUSTOMER_B = {
  key: { kind: 'phone', value: '5511912345678' } as CustomerKey,
  traces: ['5511912345678', 'Note about Bob'],
  conversations: ['conv-b1'],
};

/**
 * Seeds a customer in Redis (event log under two spellings, cache entries
 * under both forms, a lock, a failed and a completed job) and SQLite (two
 * history rows with notes).
 */
export async function seedCustomer(
  redis: Redis,
  prefix: string,
  store: SqliteOwnershipStore,
  customer: { key: CustomerKey; conversations: readonly string[]; traces: readonly string[] },
  at: number,
): Promise<void> {
  const [first, second] = customer.conversations;
  const note = customer.traces.at(-1)!;
  const digits = customer.key.value;
  const events = new RedisEventLog(redis, prefix);
  await events.record([
    anEvent('acw', at - 60_000, 'agent-ana', {
      conversationId: first,
      addressFrom: `whatsapp:+${digits}`,
      wrapupNotes: note,
      receivedAt: at,
    }),
  ]);
  if (second) {
    // The old Brazilian form, spelled as a person would.
    const spelled = digits.startsWith('55119')
      ? `+55 11 ${digits.slice(5, 9)}-${digits.slice(9)}`
      : `+${digits}`;
    await events.record([
      anEvent('acw', at - 30_000, 'agent-bea', {
        conversationId: second,
        addressFrom: spelled,
        receivedAt: at,
      }),
    ]);
  }
  const cache = new RedisCustomerCache(redis, { prefix, ttlSeconds: 3600, negativeTtlSeconds: 60 });
  const current = anOwnership({ conversationId: first!, notes: note });
  await cache.set(customer.key, aCustomer({ key: customer.key, current, recent: [current] }));
  const oldForm = { kind: 'phone', value: customer.traces[1]! } as CustomerKey;
  if (/^\d+$/.test(oldForm.value)) await cache.set(oldForm, null);
  await redis.set(`${prefix}:lock:phone:${digits}`, 'token', 'PX', 60_000);

  for (const conversationId of customer.conversations) {
    await store.commit([
      {
        key: customer.key,
        ownership: anOwnership({ conversationId, notes: note, endedAt: at - 3_600_000 }),
      },
    ]);
  }
  await queueJobs(redis, prefix, customer.conversations, digits);
}

/** A completed job for the first conversation, a failed one (its reason quotes the number) for the last. */
async function queueJobs(
  redis: Redis,
  prefix: string,
  conversations: readonly string[],
  digits: string,
): Promise<void> {
  const name = 'reconcile';
  const queue = new Queue(name, { connection: redis, prefix });
  const failing = conversations.at(-1)!;
  const worker = new Worker(
    name,
    async (job) => {
      if (job.data.conversationId === failing)
        throw new Error(`CRM said: duplicate value WhatsApp_Number__c ${digits}`);
      return { status: 'applied' };
    },
    { connection: redis.duplicate(), prefix, autorun: true },
  );
  const done = new Promise<void>((resolve) => {
    let finished = 0;
    const count = () => ++finished === conversations.length && resolve();
    worker.on('completed', count);
    worker.on('failed', count);
  });
  await queue.addBulk(
    conversations.map((conversationId) => ({
      name,
      data: { conversationId, source: 'event', enqueuedAt: 1 },
      opts: { attempts: 1, removeOnFail: false },
    })),
  );
  await done;
  await worker.close();
  await queue.close();
}

/** Every key and value of a Redis (read by type, so nothing hides in an encoding). */
export async function redisDump(redis: Redis): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      else parts.push(`(unread ${type})`);
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

/** The bytes of every file under `dir` (recursively), as latin1 text. */
export function filesText(paths: readonly string[]): string {
  const texts: string[] = [];
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    try {
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } catch {
      texts.push(readFileSync(path).toString('latin1'));
    }
  };
  for (const path of paths) walk(path);
  return texts.join('\n');
}

export const found = (text: string, traces: readonly string[]) =>
  traces.filter((trace) => text.includes(trace));
