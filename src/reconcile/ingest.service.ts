import type { Queue } from 'bullmq';
import type { WrapUpEvent } from '../contracts/events.contract.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { EventLog } from '../ports/event-log.port.ts';
import {
  RECONCILE_JOB,
  reconcileJobOptions,
  type ReconcileJobSettings,
} from '../jobs/reconcile.queue.ts';
import type { ReconcileJobData } from './reconcile.processor.ts';

export interface IngestResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly ignored: number;
}

/**
 * Ingest: record the events, then enqueue one job per conversation. It resolves
 * only once both are in Redis; any Redis failure rejects, so the HTTP layer
 * answers 503 and the sender retries. A retry after a half-done attempt is safe:
 * recording is idempotent and the job is (re)added for every delivery, new or
 * duplicate, while de-duplication keeps one job per conversation.
 */
export class IngestService {
  readonly #events: EventLog;
  readonly #queue: Queue<ReconcileJobData>;
  readonly #settings: ReconcileJobSettings;
  readonly #clock: Clock;

  constructor(deps: {
    events: EventLog;
    queue: Queue<ReconcileJobData>;
    settings: ReconcileJobSettings;
    clock: Clock;
  }) {
    this.#events = deps.events;
    this.#queue = deps.queue;
    this.#settings = deps.settings;
    this.#clock = deps.clock;
  }

  async ingest(events: readonly WrapUpEvent[], ignored: number): Promise<IngestResult> {
    const fresh = await this.#events.record(events);
    const conversations = [...new Set(events.map((event) => event.body.conversationId))];
    await this.enqueue(conversations, 'event');
    const accepted = fresh.filter(Boolean).length;
    return { accepted, duplicates: events.length - accepted, ignored };
  }

  /** Enqueues reconcile jobs for conversations (events, sweep, backfill, replay). */
  async enqueue(
    conversationIds: readonly string[],
    source: ReconcileJobData['source'],
  ): Promise<void> {
    if (conversationIds.length === 0) return;
    const enqueuedAt = this.#clock.now();
    await this.#queue.addBulk(
      conversationIds.map((conversationId) => ({
        name: RECONCILE_JOB,
        data: { conversationId, source, enqueuedAt },
        opts: reconcileJobOptions(conversationId, this.#settings),
      })),
    );
  }
}
