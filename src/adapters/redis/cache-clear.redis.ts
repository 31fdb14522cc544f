import { Cluster } from 'ioredis';
import type { RedisClient } from './connections.redis.ts';

/** The near caches' message for "drop every customer" (customer ids are `phone:…`/`bsuid:…`). */
export const ALL_CUSTOMERS = '*';

/** A Redis glob matching `text` literally. */
const globLiteral = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/**
 * Drops every ownership cache entry under `prefix` (SCAN, then UNLINK key by
 * key: on a Cluster without a hash tag the keys live on several masters) and
 * tells every process's near cache to drop its copies. The store stays the
 * truth: the next lookup of each customer reads it again.
 */
export async function clearOwnershipCache(redis: RedisClient, prefix: string): Promise<number> {
  const match = `${globLiteral(prefix)}:owner:*`;
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let cleared = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 500);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.unlink(key);
      const results = (await pipeline.exec()) ?? [];
      cleared += results.filter(([error, removed]) => !error && removed === 1).length;
    } while (cursor !== '0');
  }
  await redis.publish(`${prefix}:owner-changed`, ALL_CUSTOMERS);
  return cleared;
}
