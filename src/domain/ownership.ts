import type { ContextAttributes } from './conversation-context.ts';
import type { CustomerKey } from './customer-key.ts';

/** Where an ownership was learned: a Genesys event, the analytics sweep, or an operator (backfill, replay). */
export const OWNERSHIP_SOURCES = ['event', 'sweep', 'manual'] as const;
export type OwnershipSource = (typeof OWNERSHIP_SOURCES)[number];

/**
 * Who handled one conversation last (or first, by configuration), derived from
 * Genesys. The version of an ownership is `(endedAt, conversationId)`: the
 * agent's end-of-work time, ties broken by conversation id, so every process
 * orders any two ownerships the same way.
 */
export interface Ownership {
  readonly conversationId: string;
  readonly agentId: string;
  readonly agentName: string;
  readonly queueId: string;
  readonly queueName: string;
  /** Wrap-up code id as Genesys sends it. */
  readonly wrapupCode: string;
  /** Wrap-up code name, resolved when Genesys credentials are set; else empty. */
  readonly wrapupName: string;
  readonly startedAt: number;
  /** ACW end / segment end, epoch ms truncated to the second: the version. */
  readonly endedAt: number;
  readonly transferCount: number;
  readonly source: OwnershipSource;
  /** Salesforce Case id from conversation attributes, when present. */
  readonly caseId: string;
  /** The owner's wrap-up notes, whole up to NOTES_MAX_CHARS (then cut with a marker). Personal data. */
  readonly notes: string;
  /** Its wrap-up code is one of the unresolved codes of the queue it was handled in. */
  readonly unresolved: boolean;
  /** The message type in lower case (`whatsapp`), empty when unknown. */
  readonly channel: string;
  /** Allow-listed participant attributes (CONTEXT_ATTRIBUTES). Personal data. */
  readonly attributes: ContextAttributes;
}

export interface OwnershipVersion {
  readonly endedAt: number;
  readonly conversationId: string;
}

/** Total order on versions: negative when `a` is older than `b`. */
export function compareVersions(a: OwnershipVersion, b: OwnershipVersion): number {
  if (a.endedAt !== b.endedAt) return a.endedAt < b.endedAt ? -1 : 1;
  if (a.conversationId === b.conversationId) return 0;
  return a.conversationId < b.conversationId ? -1 : 1;
}

/** True when `candidate` may replace `stored` (ownership only moves forward). */
export function supersedes(candidate: OwnershipVersion, stored: OwnershipVersion | null): boolean {
  return stored === null || compareVersions(candidate, stored) > 0;
}

/** What the lookup needs to know about one customer. */
export interface CustomerRecord {
  readonly key: CustomerKey;
  readonly contactId: string;
  readonly caseId: string;
  readonly caseNumber: string;
  /** `caseId` is a Case that is still open (an open Case means the story is not over). */
  readonly caseOpen: boolean;
  readonly vip: boolean;
  /** The newest ownership (maximum version), or null when none was recorded. */
  readonly current: Ownership | null;
  /** Recent ownerships, newest first, `current` included. */
  readonly recent: readonly Ownership[];
  /**
   * The customer's other keys: a Contact holding both a number and a
   * business-scoped user id is one customer, locked and cached under both.
   * Absent when the customer has one key.
   */
  readonly aliases?: readonly CustomerKey[];
}

/** Every key of the customer a record describes, its own first. */
export function customerKeys(record: CustomerRecord): CustomerKey[] {
  return [record.key, ...(record.aliases ?? [])];
}

/** The same customer seen through another of its keys (what the cache holds under that key). */
export function recordUnderKey(record: CustomerRecord, key: CustomerKey): CustomerRecord {
  const others = customerKeys(record).filter((k) => k.kind !== key.kind || k.value !== key.value);
  const { aliases: _aliases, ...rest } = record;
  return others.length > 0 ? { ...rest, key, aliases: others } : { ...rest, key };
}
