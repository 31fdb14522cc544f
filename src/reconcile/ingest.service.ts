import { normalizeAddress, type CustomerKey } from '../domain/customer-key.ts';
import { judgeTime } from '../domain/trusted-time.ts';
import type { Clock } from '../ports/clock.port.ts';
import {
  noTombstones,
  predatesErasure,
  type ErasureTombstones,
} from '../ports/erasure-tombstones.port.ts';
import { customerAddressOf } from './event-snapshot.ts';
import type { EventLog } from './event-log.port.ts';
import { MAX_REJECTED_REASONS, type EventsAccepted, type WrapUpEvent } from './events.contract.ts';
import type { ReconcileJobData } from './reconcile-job.contract.ts';
import type { ReconcileQueue } from './reconcile-queue.port.ts';
import { noReplicasRequired, type WriteDurability } from './write-durability.port.ts';
import type { UntrustedTimeSource } from './untrusted-time.reporter.ts';

/** What one ingest answers: the `202` body of `POST /v1/events`. */
export type IngestResult = EventsAccepted;

export interface IngestDeps {
  readonly events: EventLog;
  readonly queue: ReconcileQueue;
  readonly clock: Clock;
  /** A time later than its receipt plus this is capped at the receipt. @defaultValue 300000 */
  readonly maxEventSkewMs?: number;
  /** Told when an event's time is capped (metric, one log line per conversation). */
  readonly onUntrustedTime?: (conversationId: string, source: UntrustedTimeSource) => void;
  /** Waits for replicas before a 202 (WAIT); none required by default. */
  readonly durability?: WriteDurability;
  /** Erasures (privacy requests): an event dated before its customer's erasure is dropped. */
  readonly tombstones?: ErasureTombstones;
  /** Told of each event dropped because its customer was erased after it (metric). */
  readonly onErasedDropped?: () => void;
}

const describe = (event: WrapUpEvent) =>
  `${event.kind} of conversation ${event.body.conversationId} at eventTime ${event.body.eventTime}`;

/**
 * Ingest: record the events, then enqueue one job per conversation. It resolves
 * only once both are in Redis, and on the configured number of replicas (so a
 * failover loses nothing acknowledged); any Redis failure rejects, so the HTTP layer
 * answers 503 and the sender retries. A retry after a half-done attempt is safe:
 * recording is idempotent and the job is (re)added for every delivery, new or
 * duplicate, while de-duplication keeps one job per conversation.
 *
 * Nothing acknowledged is silently dropped: an event the bridge will never act
 * on is refused in the `202` body with its reason (`rejected`,
 * `rejectedReasons`): a time before 2015 (0, seconds for milliseconds), an
 * address that can never be a customer, or a redelivery whose content
 * contradicts the first delivery of the same identity (the first is kept).
 * Each event is stamped with its receipt time; a later eventTime is capped at
 * it when the ownership is derived.
 */
export class IngestService {
  readonly #events: EventLog;
  readonly #queue: ReconcileQueue;
  readonly #clock: Clock;
  readonly #durability: WriteDurability;
  readonly #maxEventSkewMs: number;
  readonly #onUntrustedTime: IngestDeps['onUntrustedTime'];
  readonly #tombstones: ErasureTombstones;
  readonly #onErasedDropped: () => void;

  constructor(deps: IngestDeps) {
    this.#events = deps.events;
    this.#queue = deps.queue;
    this.#clock = deps.clock;
    this.#durability = deps.durability ?? noReplicasRequired;
    this.#maxEventSkewMs = deps.maxEventSkewMs ?? 300_000;
    this.#onUntrustedTime = deps.onUntrustedTime;
    this.#tombstones = deps.tombstones ?? noTombstones;
    this.#onErasedDropped = deps.onErasedDropped ?? (() => {});
  }

  async ingest(events: readonly WrapUpEvent[], ignored: number): Promise<IngestResult> {
    const receivedAt = this.#clock.now();
    const rejectedReasons: string[] = [];
    let rejected = 0;
    const refuse = (event: WrapUpEvent, reason: string) => {
      rejected += 1;
      if (rejectedReasons.length < MAX_REJECTED_REASONS) {
        rejectedReasons.push(`${describe(event)}: ${reason}`.slice(0, 300));
      }
    };

    const candidates: { event: WrapUpEvent; key: CustomerKey | null }[] = [];
    const capped: string[] = [];
    for (const event of events) {
      const verdict = judgeTime(event.body.eventTime, receivedAt, this.#maxEventSkewMs);
      if (verdict.kind === 'untrusted') {
        refuse(event, verdict.reason);
        continue;
      }
      const address = customerAddressOf(event);
      const parsed = address === '' ? null : normalizeAddress(address);
      if (parsed && !parsed.ok) {
        refuse(event, `its customer address can never be a customer (${parsed.reason})`);
        continue;
      }
      if (verdict.kind === 'capped') capped.push(event.body.conversationId);
      candidates.push({ event: { ...event, receivedAt }, key: parsed?.ok ? parsed.key : null });
    }
    const kept = await this.#withoutErased(candidates, refuse);

    const outcomes = await this.#events.record(kept);
    const recorded: WrapUpEvent[] = [];
    outcomes.forEach((outcome, index) => {
      const event = kept[index]!;
      if (outcome !== 'conflict') return void recorded.push(event);
      refuse(
        event,
        'a delivery with this identity (topic, conversation, participant, eventTime) but other content was received first; the first is kept',
      );
    });
    const conversations = [...new Set(recorded.map((event) => event.body.conversationId))];
    await this.enqueue(conversations, 'event');
    await this.#durability.awaitReplicas();
    for (const conversationId of new Set(capped)) this.#onUntrustedTime?.(conversationId, 'event');
    const accepted = outcomes.filter((outcome) => outcome === 'new').length;
    const duplicates = outcomes.filter((outcome) => outcome === 'duplicate').length;
    return { accepted, duplicates, ignored, rejected, rejectedReasons };
  }

  /**
   * Drops events of customers erased after the event's time (a late
   * EventBridge redelivery must not bring an erased customer back).
   */
  async #withoutErased(
    candidates: readonly { event: WrapUpEvent; key: CustomerKey | null }[],
    refuse: (event: WrapUpEvent, reason: string) => void,
  ): Promise<WrapUpEvent[]> {
    const keyed = candidates.filter((c) => c.key !== null);
    const erased = await this.#tombstones.erasedAt(keyed.map((c) => c.key!));
    const erasedAt = new Map(keyed.map((c, index) => [c, erased[index] ?? null]));
    return candidates.flatMap((candidate) => {
      const at = erasedAt.get(candidate) ?? null;
      if (!predatesErasure(at, candidate.event.body.eventTime)) return [candidate.event];
      this.#onErasedDropped();
      refuse(candidate.event, "its customer's data was erased after this event (privacy request)");
      return [];
    });
  }

  /** Enqueues reconcile jobs for conversations (events, sweep, backfill, replay). */
  async enqueue(
    conversationIds: readonly string[],
    source: ReconcileJobData['source'],
  ): Promise<void> {
    const enqueuedAt = this.#clock.now();
    await this.#queue.enqueue(
      conversationIds.map((conversationId) => ({ conversationId, source, enqueuedAt })),
    );
  }
}
