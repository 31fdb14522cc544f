import type { Clock } from '../ports/clock.port.ts';
import type { EventLog } from './event-log.port.ts';
import type { EventsAccepted, WrapUpEvent } from './events.contract.ts';
import type { ReconcileJobData } from './reconcile-job.contract.ts';
import type { ReconcileQueue } from './reconcile-queue.port.ts';
import { noReplicasRequired, type WriteDurability } from './write-durability.port.ts';

/** What one ingest answers: the `202` body of `POST /v1/events`. */
export type IngestResult = EventsAccepted;

/**
 * Ingest: record the events, then enqueue one job per conversation. It resolves
 * only once both are in Redis, and on the configured number of replicas (so a
 * failover loses nothing acknowledged); any Redis failure rejects, so the HTTP layer
 * answers 503 and the sender retries. A retry after a half-done attempt is safe:
 * recording is idempotent and the job is (re)added for every delivery, new or
 * duplicate, while de-duplication keeps one job per conversation.
 */
export class IngestService {
  readonly #events: EventLog;
  readonly #queue: ReconcileQueue;
  readonly #clock: Clock;
  readonly #durability: WriteDurability;

  constructor(deps: {
    events: EventLog;
    queue: ReconcileQueue;
    clock: Clock;
    durability?: WriteDurability;
  }) {
    this.#events = deps.events;
    this.#queue = deps.queue;
    this.#clock = deps.clock;
    this.#durability = deps.durability ?? noReplicasRequired;
  }

  async ingest(events: readonly WrapUpEvent[], ignored: number): Promise<IngestResult> {
    const fresh = await this.#events.record(events);
    const conversations = [...new Set(events.map((event) => event.body.conversationId))];
    await this.enqueue(conversations, 'event');
    await this.#durability.awaitReplicas();
    const accepted = fresh.filter(Boolean).length;
    return { accepted, duplicates: events.length - accepted, ignored };
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
