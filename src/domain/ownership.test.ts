import { describe, expect, it } from 'vitest';
import { compareVersions, supersedes } from './ownership.ts';

describe('ownership versions', () => {
  it('orders by end of work, then by conversation id', () => {
    expect(
      compareVersions({ endedAt: 1, conversationId: 'b' }, { endedAt: 2, conversationId: 'a' }),
    ).toBeLessThan(0);
    expect(
      compareVersions({ endedAt: 2, conversationId: 'a' }, { endedAt: 2, conversationId: 'b' }),
    ).toBeLessThan(0);
    expect(
      compareVersions({ endedAt: 2, conversationId: 'b' }, { endedAt: 2, conversationId: 'b' }),
    ).toBe(0);
  });

  it('lets only newer versions replace the stored one', () => {
    const stored = { endedAt: 100, conversationId: 'c1' };
    expect(supersedes({ endedAt: 99, conversationId: 'c9' }, stored)).toBe(false);
    expect(supersedes({ endedAt: 100, conversationId: 'c1' }, stored)).toBe(false);
    expect(supersedes({ endedAt: 100, conversationId: 'c2' }, stored)).toBe(true);
    expect(supersedes({ endedAt: 1, conversationId: 'c0' }, null)).toBe(true);
  });
});
