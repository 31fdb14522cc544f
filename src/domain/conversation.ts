import { capNotes, type ContextAttributes } from './conversation-context.ts';
import type { Ownership, OwnershipSource } from './ownership.ts';

/** One agent's part in a conversation, as Genesys reports it. */
export interface AgentSegment {
  readonly userId: string;
  readonly queueId: string;
  /** Wrap-up code id; empty when the agent did not wrap up (yet). */
  readonly wrapupCode: string;
  /** Wrap-up code name when the source carries it (message conversation), else empty. */
  readonly wrapupName: string;
  /** When the agent connected, epoch ms (0 when unknown). */
  readonly connectedAt: number;
  /**
   * When the agent stopped handling the customer (segment end, before ACW),
   * epoch ms; 0 or absent when the source does not say. It orders handlers.
   */
  readonly segmentEndedAt?: number;
  /** End of the agent's work: ACW end, else segment end, epoch ms. */
  readonly endedAt: number;
  /** The agent's wrap-up notes when the source carries them, else empty. */
  readonly notes: string;
}

/**
 * Handling order: who connected first, and for sources that do not say when an
 * agent connected (events), who stopped handling first. ACW is not handling: an
 * agent who transfers and then wraps up for a long time handled before the
 * agent they transferred to.
 */
function handlingOrder(a: AgentSegment, b: AgentSegment): number {
  const start = (s: AgentSegment) => s.connectedAt || handlingEnd(s);
  return start(a) - start(b) || handlingEnd(a) - handlingEnd(b);
}

const handlingEnd = (s: AgentSegment): number => s.segmentEndedAt || s.endedAt;

/**
 * What the bridge needs from one conversation, whichever source it came from
 * (the message conversation, analytics details, or the event body alone).
 */
export interface ConversationSnapshot {
  readonly conversationId: string;
  /** The customer's address as Genesys gave it (normalized later). */
  readonly customerAddress: string;
  readonly startedAt: number;
  readonly agentSegments: readonly AgentSegment[];
  /** Salesforce Case id from conversation attributes, when the flow set one. */
  readonly caseId: string;
  /** Lower-case message type (`whatsapp`), empty when the source does not say. */
  readonly channel: string;
  /** Allow-listed participant attributes; empty when the source carries none. */
  readonly attributes: ContextAttributes;
}

export type OwnerRule = 'last' | 'first';

/**
 * Which agent owns a conversation: the last handling agent (default) or the
 * first, after transfers, both by handling order (connect, else segment end).
 * Segments without a user (bots, ACD) never own. Returns null when no agent
 * finished handling the conversation.
 */
export function deriveOwnership(
  snapshot: ConversationSnapshot,
  rule: OwnerRule,
  source: OwnershipSource,
): Ownership | null {
  const handled = snapshot.agentSegments.filter((segment) => segment.userId !== '');
  if (handled.length === 0) return null;
  // An agent still working (no end yet) cannot own: the conversation's version
  // would have no end. The owner is chosen among finished segments; until one
  // finishes there is no owner (Genesys lag: the next event or sweep looks again).
  const finished = handled.filter((segment) => segment.endedAt > 0).sort(handlingOrder);
  if (finished.length === 0) return null;
  const chronological = [...handled].sort(handlingOrder);
  const owner = rule === 'last' ? finished.at(-1)! : finished[0]!;
  // The version is the end of the conversation's agent work, whichever rule picks
  // the owner, so that later conversations always win over earlier ones. It is
  // kept to the second, the precision of a Salesforce DateTime: every store and
  // the cache then compare exactly what Salesforce can hold, and two
  // conversations ending in the same second are ordered by conversation id.
  const endedAt = toSecond(Math.max(...handled.map((segment) => segment.endedAt)));
  // A transfer is a change of agent; a park/resume by the same agent is not.
  let transferCount = 0;
  for (let i = 1; i < chronological.length; i++) {
    if (chronological[i]!.userId !== chronological[i - 1]!.userId) transferCount++;
  }
  return {
    conversationId: snapshot.conversationId,
    agentId: owner.userId,
    agentName: '',
    queueId: owner.queueId,
    queueName: '',
    wrapupCode: owner.wrapupCode,
    wrapupName: owner.wrapupName,
    startedAt: toSecond(
      snapshot.startedAt || chronological[0]!.connectedAt || chronological[0]!.endedAt,
    ),
    endedAt,
    transferCount,
    source,
    caseId: snapshot.caseId,
    notes: capNotes(owner.notes),
    // Decided by the reconcile slice, which knows the queue's unresolved codes.
    unresolved: false,
    channel: snapshot.channel,
    attributes: snapshot.attributes,
  };
}

/** Epoch ms truncated to the whole second. */
export function toSecond(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}
