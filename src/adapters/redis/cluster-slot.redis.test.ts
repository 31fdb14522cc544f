import { describe, expect, it } from 'vitest';
import { clusterSlot } from './cluster-slot.redis.ts';

describe('clusterSlot', () => {
  // Values from the Redis Cluster specification and `CLUSTER KEYSLOT` answers.
  it('hashes a key without a tag whole', () => {
    expect(clusterSlot('foo')).toBe(12182);
    expect(clusterSlot('123456789')).toBe(0x31c3 % 16384);
  });

  it('hashes only the first non-empty {tag}, so every bridge key shares one slot', () => {
    expect(clusterSlot('{continuity}:reconcile:wait')).toBe(clusterSlot('continuity'));
    expect(clusterSlot('{user1000}.following')).toBe(clusterSlot('{user1000}.followers'));
    expect(clusterSlot('foo{}{bar}')).not.toBe(clusterSlot('bar'));
  });
});
