import type { AgentSegment, ConversationSnapshot } from './conversation.ts';

/**
 * Times the bridge cannot trust never become a version (DESIGN §2.2). A sender's
 * clock, a bad replay or a unit mistake can date an event anywhere; a version in
 * the future would pin its owner forever, one at 1970 would be acknowledged and
 * never win. Genesys Cloud did not exist before 2015, so nothing it reports can
 * be older; seconds mistaken for milliseconds land in January 1970 and are
 * caught by the same floor.
 */
export const EARLIEST_TRUSTED_TIME = Date.parse('2015-01-01T00:00:00Z');

export type TimeVerdict =
  | { readonly kind: 'trusted'; readonly time: number }
  /** Later than its receipt plus the skew allowance: the receipt time stands in. */
  | { readonly kind: 'capped'; readonly time: number; readonly claimed: number }
  /** No time the bridge could use (0, before 2015): the event is refused, with this reason. */
  | { readonly kind: 'untrusted'; readonly reason: string };

/**
 * A claimed time judged against when the bridge received it: up to `skewMs`
 * past the receipt is clock skew and kept; beyond that the receipt time is the
 * latest the event can truly have happened, so it is capped there.
 */
export function judgeTime(claimed: number, receivedAt: number, skewMs: number): TimeVerdict {
  if (!Number.isFinite(claimed) || claimed < EARLIEST_TRUSTED_TIME) {
    return {
      kind: 'untrusted',
      reason: `eventTime ${claimed} is before 2015-01-01 (epoch milliseconds expected)`,
    };
  }
  if (claimed > receivedAt + skewMs) return { kind: 'capped', time: receivedAt, claimed };
  return { kind: 'trusted', time: claimed };
}

/**
 * The snapshot with every time later than `receivedAt + skewMs` capped at
 * `receivedAt` (the moment Genesys answered), and whether any was.
 */
export function capSnapshotTimes(
  snapshot: ConversationSnapshot,
  receivedAt: number,
  skewMs: number,
): { readonly snapshot: ConversationSnapshot; readonly capped: boolean } {
  let capped = false;
  const cap = (time: number): number => {
    if (time <= receivedAt + skewMs) return time;
    capped = true;
    return receivedAt;
  };
  const agentSegments = snapshot.agentSegments.map((segment): AgentSegment => ({
    ...segment,
    connectedAt: cap(segment.connectedAt),
    ...(segment.segmentEndedAt !== undefined && { segmentEndedAt: cap(segment.segmentEndedAt) }),
    endedAt: cap(segment.endedAt),
  }));
  const startedAt = cap(snapshot.startedAt);
  return { snapshot: { ...snapshot, startedAt, agentSegments }, capped };
}
