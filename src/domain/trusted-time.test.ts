import { describe, expect, it } from 'vitest';
import { capSnapshotTimes, EARLIEST_TRUSTED_TIME, judgeTime } from './trusted-time.ts';
import type { ConversationSnapshot } from './conversation.ts';

const RECEIVED = Date.parse('2026-11-25T10:00:00Z');
const SKEW = 300_000;

describe('judgeTime', () => {
  it('trusts a time up to the skew allowance past its receipt', () => {
    expect(judgeTime(RECEIVED + SKEW, RECEIVED, SKEW)).toEqual({
      kind: 'trusted',
      time: RECEIVED + SKEW,
    });
    expect(judgeTime(RECEIVED - 86_400_000, RECEIVED, SKEW).kind).toBe('trusted');
  });

  it('caps a future-dated time (an acw dated 2099) at the time of receipt', () => {
    const claimed = Date.parse('2099-01-01T00:00:00Z');
    expect(judgeTime(claimed, RECEIVED, SKEW)).toEqual({
      kind: 'capped',
      time: RECEIVED,
      claimed,
    });
    expect(judgeTime(RECEIVED + SKEW + 1, RECEIVED, SKEW).kind).toBe('capped');
  });

  it('refuses eventTime 0 and seconds mistaken for milliseconds, with a reason', () => {
    for (const claimed of [0, 1_765_551_750, EARLIEST_TRUSTED_TIME - 1]) {
      const verdict = judgeTime(claimed, RECEIVED, SKEW);
      expect(verdict.kind).toBe('untrusted');
      if (verdict.kind === 'untrusted') expect(verdict.reason).toMatch(/before 2015/);
    }
  });
});

describe('capSnapshotTimes', () => {
  it('caps every future time of a Genesys snapshot at the time it was loaded', () => {
    const future = Date.parse('2099-01-01T00:00:00Z');
    const snapshot: ConversationSnapshot = {
      conversationId: 'c1',
      customerAddress: '',
      startedAt: RECEIVED - 1000,
      agentSegments: [
        {
          userId: 'ana',
          queueId: '',
          wrapupCode: '',
          wrapupName: '',
          notes: '',
          connectedAt: RECEIVED - 500,
          segmentEndedAt: future,
          endedAt: future,
        },
      ],
      caseId: '',
      channel: 'whatsapp',
      attributes: {},
    };
    const result = capSnapshotTimes(snapshot, RECEIVED, SKEW);
    expect(result.capped).toBe(true);
    expect(result.snapshot.agentSegments[0]).toMatchObject({
      connectedAt: RECEIVED - 500,
      segmentEndedAt: RECEIVED,
      endedAt: RECEIVED,
    });
    expect(capSnapshotTimes(result.snapshot, RECEIVED, SKEW).capped).toBe(false);
  });
});
