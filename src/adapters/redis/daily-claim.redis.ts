import type { RedisClient } from './connections.redis.ts';

/**
 * `{prefix}:retention:<day>`: the first worker to claim a day's retention pass
 * runs it (SET NX); the others skip it. The key holds no personal data and
 * expires after two days.
 */
export function createRetentionClaim(redis: RedisClient, prefix: string) {
  return async (day: string): Promise<boolean> =>
    (await redis.set(`${prefix}:retention:${day}`, '1', 'EX', 2 * 86_400, 'NX')) === 'OK';
}
