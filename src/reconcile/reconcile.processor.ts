import {
  customerKeyId,
  maskCustomerKey,
  normalizeAddress,
  type CustomerKey,
} from '../domain/customer-key.ts';
import {
  deriveOwnership,
  type ConversationSnapshot,
  type OwnerRule,
} from '../domain/conversation.ts';
import { recordUnderKey, type Ownership, type OwnershipSource } from '../domain/ownership.ts';
import type { CommitResult } from '../ports/ownership-store.port.ts';
import { knownKeys, unheldKeys, withCustomerLocks } from './customer-keys-lock.ts';
import { capNotes, channelName, isUnresolvedWrapup } from '../domain/conversation-context.ts';
import { capSnapshotTimes } from '../domain/trusted-time.ts';
import type { Clock } from '../ports/clock.port.ts';
import {
  noTombstones,
  predatesErasure,
  type ErasureTombstones,
} from '../ports/erasure-tombstones.port.ts';
import { BridgeError } from '../errors/catalogue.ts';
import type { Logger } from '../observability/logger.ts';
import type { ConversationSource, NameResolver } from './conversation-source.port.ts';
import type { CustomerCache } from '../ports/customer-cache.port.ts';
import type { CustomerLock } from './customer-lock.port.ts';
import type { EventLog } from './event-log.port.ts';
import type { ReconcileJobData } from './reconcile-job.contract.ts';
import type { OwnershipCommitter } from './commit-batcher.ts';
import type { CustomerTurns } from './customer-turns.ts';
import {
  namesAgent,
  snapshotFromEvents,
  trustedEventTime,
  type EventTimeRules,
} from './event-snapshot.ts';
import { eventIdentity, type WrapUpEvent } from './events.contract.ts';

/**
 * Events read per conversation: all of them in practice (a conversation has a
 * handful: one acw and one user.end per agent segment, one customer.end).
 */
const RECENT_EVENTS = 100;

/**
 * Genesys' end of ACW and the acw event's eventTime are stamped separately; a
 * segment ending this much before the event still reflects it. A resumed
 * conversation's earlier segment ends minutes or hours before, never this close.
 */
const REFLECT_TOLERANCE_MS = 2000;

/**
 * The snapshot shows what the event announced: a finished segment of that
 * agent ending at or after the event. Matching on the agent alone would let
 * the first segment of a parked-and-resumed conversation "reflect" the second
 * acw while Genesys still lags.
 */
const reflects = (
  snapshot: ConversationSnapshot,
  event: WrapUpEvent,
  rules: EventTimeRules,
): boolean => {
  if (!namesAgent(event)) return true;
  const time = trustedEventTime(event, rules).time;
  return snapshot.agentSegments.some(
    (s) =>
      s.userId === event.body.userId && s.endedAt > 0 && s.endedAt + REFLECT_TOLERANCE_MS >= time,
  );
};

export type ReconcileOutcome =
  | {
      readonly status: 'applied' | 'superseded';
      readonly agentId: string;
      readonly version: number;
    }
  | {
      readonly status: 'skipped';
      readonly reason: 'already_reconciled' | 'no_event' | 'no_owner' | 'erased';
    };

export interface ReconcileDeps {
  readonly events: EventLog;
  /** Genesys as the authority, when credentials are configured; else null. */
  readonly conversations: ConversationSource | null;
  readonly names: NameResolver;
  readonly lock: CustomerLock;
  /** Writes one change to the store; concurrent jobs share a batch (CommitBatcher). */
  readonly committer: OwnershipCommitter;
  readonly cache: CustomerCache;
  readonly ownerRule: OwnerRule;
  /** The wrap-up codes (ids or names) that mean "unresolved" in a queue. @defaultValue none */
  readonly unresolvedCodes?: (queueId: string) => readonly string[];
  readonly logger: Logger;
  readonly clock: Clock;
  /** A time later than its receipt plus this is capped at the receipt (MAX_EVENT_SKEW_MS). */
  readonly maxEventSkewMs: number;
  /** Told when a time was capped (metric, one log line per conversation). */
  readonly onUntrustedTime?: (conversationId: string, source: 'event' | 'genesys') => void;
  /** One customer's jobs in this process take turns, newest version first. @defaultValue none */
  readonly turns?: CustomerTurns;
  /** Erasures: work dated or acknowledged before its customer's erasure is dropped. */
  readonly tombstones?: ErasureTombstones;
  /** Told of each job dropped because its customer was erased (metric). */
  readonly onErasedDropped?: () => void;
}

/**
 * The retryable failure of one job; BullMQ retries it with backoff. Permanent
 * failures are BridgeErrors with a permanent code; the worker turns those into
 * UnrecoverableError so they are kept as failed at once, with their reason.
 */
export class ReconcileRetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReconcileRetryableError';
  }
}

/**
 * The store as a whole did not answer (see CommitResult `unavailable`): no
 * fault of this job. The worker holds the queue and puts the job back without
 * spending an attempt.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * A record of this job's change failed for a reason that passes (a row lock, a
 * race on a unique field): retried soon, with jitter, rather than after the
 * exponential backoff of other failures.
 */
export class RecordBusyError extends ReconcileRetryableError {
  constructor(message: string) {
    super(message);
    this.name = 'RecordBusyError';
  }
}

/**
 * Reconciles one conversation, level-triggered (DESIGN §2): the event is only a
 * hint, the ownership is derived from the authoritative conversation (Genesys)
 * or from the newest event naming an agent, and written under the customer's
 * lock with compare-and-set. Running it twice gives the same result.
 */
export async function reconcileConversation(
  job: ReconcileJobData,
  deps: ReconcileDeps,
): Promise<ReconcileOutcome> {
  const { conversationId } = job;
  const events = await deps.events.recent(conversationId, RECENT_EVENTS);
  const reconciled = await deps.events.reconciledIdentities(conversationId);
  const pending = events.filter((event) => !reconciled.has(eventIdentity(event)));
  if (events.length > 0 && pending.length === 0 && job.source === 'event') {
    return { status: 'skipped', reason: 'already_reconciled' };
  }
  const rules: EventTimeRules = { now: deps.clock.now(), maxSkewMs: deps.maxEventSkewMs };
  const markAll = () => deps.events.markReconciled(conversationId, events.map(eventIdentity));

  // The owner comes from every event naming an agent (a customer.end names
  // none), or from Genesys when it knows the conversation.
  let snapshot: ConversationSnapshot | null = null;
  let fromGenesys = false;
  if (deps.conversations) {
    const loaded = await deps.conversations.loadConversation(conversationId);
    if (loaded) {
      const capped = capSnapshotTimes(loaded, deps.clock.now(), deps.maxEventSkewMs);
      if (capped.capped) deps.onUntrustedTime?.(conversationId, 'genesys');
      snapshot = capped.snapshot;
      fromGenesys = true;
    }
  }
  if (!snapshot) {
    const fromEvents = snapshotFromEvents(events, rules);
    if (fromEvents.capped) deps.onUntrustedTime?.(conversationId, 'event');
    snapshot = fromEvents.snapshot;
  }
  if (!snapshot) {
    if (events.length === 0) return { status: 'skipped', reason: 'no_event' };
    // Only agent-less events (a customer left before any agent): nothing to
    // record. Marked by identity, so a later agent event is still applied.
    await markAll();
    return { status: 'skipped', reason: 'no_owner' };
  }

  const source: OwnershipSource = job.source;
  const derived = deriveOwnership(snapshot, deps.ownerRule, source);
  if (!derived) {
    // With Genesys as the authority, "no agent yet" may be analytics lag: leave
    // the conversation unmarked so the next event or sweep looks again.
    if (!fromGenesys) await markAll();
    return { status: 'skipped', reason: 'no_owner' };
  }
  // The sweep and operators re-derive conversations already recorded: what
  // was committed is marked too (owner and version), so that costs no CRM call.
  const committedMark = `owner|${derived.agentId}|${derived.endedAt}`;
  if (reconciled.has(committedMark) && pending.length === 0) {
    return { status: 'skipped', reason: 'already_reconciled' };
  }

  const address = normalizeAddress(snapshot.customerAddress);
  if (!address.ok) {
    throw new BridgeError(
      'CB_ERR_NO_CUSTOMER_ADDRESS',
      `conversation ${conversationId}: ${address.reason}`,
    );
  }
  const ownership = withOutcome(
    withEventContext(await withNames(derived, deps.names), events),
    deps.unresolvedCodes,
  );
  const key = address.key;

  // One customer's jobs in this process take turns, newest version first;
  // across processes the customer locks serialize them.
  const acknowledged = events.flatMap((event) => event.receivedAt ?? []);
  const commit = () => commitUnderCustomerLocks(key, ownership, acknowledged, deps);
  const result = deps.turns
    ? await deps.turns.run(customerKeyId(key), ownership, commit)
    : await commit();

  if (result === 'erased') {
    deps.onErasedDropped?.();
    deps.logger.info({ conversationId }, 'reconcile dropped: the customer was erased after it');
    return { status: 'skipped', reason: 'erased' };
  }
  if (result.status === 'failed' && result.unavailable) {
    throw new StoreUnavailableError(`${result.code}: ${result.message}`);
  }
  if (result.status === 'failed') {
    deps.logger.warn(
      {
        conversationId,
        customer: maskCustomerKey(key),
        code: result.code,
        retryable: result.retryable,
      },
      `reconcile failed: ${result.message}`,
    );
    const reason = `${result.code}: ${result.message}`;
    if (result.retryable && result.busy) throw new RecordBusyError(reason);
    if (result.retryable) throw new ReconcileRetryableError(reason);
    throw new BridgeError('CB_ERR_CRM_REJECTED', `${result.code}: ${result.message}`);
  }
  // Mark done only the events the snapshot reflects: with Genesys, an acw whose
  // agent segment Genesys does not show finished yet (analytics lag) stays
  // pending, so that the next event or sweep looks again. From events, all are.
  const reflected = events.filter((event) => !fromGenesys || reflects(snapshot, event, rules));
  await deps.events.markReconciled(conversationId, [
    ...reflected.map(eventIdentity),
    committedMark,
  ]);
  return { status: result.status, agentId: ownership.agentId, version: ownership.endedAt };
}

/**
 * Commits under the locks of every key of the customer and writes the cache
 * entry of each through. The keys come from the cache; when the commit shows
 * the customer holds a key that was not locked (a cold cache, a key added to
 * the Contact), another writer may have interleaved through that key: the
 * commit runs once more holding every key (commits are idempotent and only
 * move forward, so the second round repairs whatever the first lost).
 */
async function commitUnderCustomerLocks(
  key: CustomerKey,
  ownership: Ownership,
  acknowledged: readonly number[],
  deps: ReconcileDeps,
): Promise<CommitResult | 'erased'> {
  const tombstones = deps.tombstones ?? noTombstones;
  let held = await knownKeys(key, deps.cache);
  for (let round = 1; ; round += 1) {
    const keys = held;
    const result = await withCustomerLocks(deps.lock, keys, async () => {
      // Under the locks the privacy erasure takes too: an erasure either ran
      // before this check (its tombstone is seen) or waits for this commit
      // (and erases what it wrote).
      const erasedAt = (await tombstones.erasedAt(keys)).reduce<number | null>(
        (latest, at) => (at !== null && (latest === null || at > latest) ? at : latest),
        null,
      );
      if (predatesErasure(erasedAt, ownership.endedAt, acknowledged)) return 'erased' as const;
      const committed = await deps.committer.commit({ key, ownership });
      // Under the locks, so no older record can be cached after a newer one.
      // A failed commit may have written part of its records: drop the entries.
      if (committed.status === 'failed') {
        await Promise.all(keys.map((k) => deps.cache.delete(k)));
        return committed;
      }
      const written = await Promise.all(
        keys.map(
          async (k) =>
            (await deps.cache.set(k, recordUnderKey(committed.record, k))) ||
            (await deps.cache.delete(k)),
        ),
      );
      if (!written.every(Boolean)) {
        // The old owner would stay cached for a day: retry (commits are idempotent).
        throw new ReconcileRetryableError('the ownership cache could not be written through');
      }
      return committed;
    });
    if (result === 'erased') return result;
    const unheld = result.status === 'failed' ? [] : unheldKeys(result.record, keys);
    if (unheld.length === 0) return result;
    if (round === 2) {
      throw new ReconcileRetryableError("the customer's keys changed during the commit");
    }
    held = [...keys, ...unheld];
  }
}

/**
 * What Genesys did not say, the events may: the owner's notes from their acw
 * event (the message conversation drops them once it is archived; analytics
 * may lag) and the channel from any event.
 */
function withEventContext(ownership: Ownership, events: readonly WrapUpEvent[]): Ownership {
  const ownersAcw = events.find(
    (event) => event.kind === 'acw' && event.body.userId === ownership.agentId,
  );
  const notes = ownership.notes || capNotes(ownersAcw?.body.wrapupNotes ?? '');
  const channel =
    ownership.channel ||
    channelName(events.find((event) => event.body.messageType)?.body.messageType);
  return { ...ownership, notes, channel };
}

/** Unresolved by the wrap-up code's id or name, with the codes of the queue it was handled in. */
function withOutcome(
  ownership: Ownership,
  unresolvedCodes: ReconcileDeps['unresolvedCodes'],
): Ownership {
  const codes = unresolvedCodes?.(ownership.queueId) ?? [];
  return {
    ...ownership,
    unresolved: isUnresolvedWrapup(codes, ownership.wrapupCode, ownership.wrapupName),
  };
}

async function withNames(ownership: Ownership, names: NameResolver): Promise<Ownership> {
  const [agentName, queueName, wrapupName] = await Promise.all([
    ownership.agentName || names.agentName(ownership.agentId),
    ownership.queueName || (ownership.queueId ? names.queueName(ownership.queueId) : ''),
    ownership.wrapupName || (ownership.wrapupCode ? names.wrapupName(ownership.wrapupCode) : ''),
  ]);
  return { ...ownership, agentName, queueName, wrapupName };
}
