import type { ConnectionOptions, Worker } from 'bullmq';
import type { OwnerRule } from '../domain/conversation.ts';
import { policyForQueue, type PolicyConfig } from '../domain/routing-policy.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { CustomerCache } from '../ports/customer-cache.port.ts';
import type { HttpRoute, OpenApiPart } from '../ports/http-route.port.ts';
import type { ErasureTombstones } from '../ports/erasure-tombstones.port.ts';
import type { OwnershipStore } from '../ports/ownership-store.port.ts';
import { CommitBatcher } from './commit-batcher.ts';
import type { ConversationSource, NameResolver } from './conversation-source.port.ts';
import type { CustomerLock } from './customer-lock.port.ts';
import type { EventLog } from './event-log.port.ts';
import type { EventFilter } from './event-parser.ts';
import { eventsRoute } from './events.http.ts';
import { eventsOpenApi } from './events.openapi.ts';
import { IngestService } from './ingest.service.ts';
import { BullReconcileQueue, type ReconcileJobSettings } from './reconcile.queue.ts';
import { createReconcileWorker } from './reconcile.worker.ts';
import { OutageGate } from './outage-gate.ts';
import { CustomerTurns } from './customer-turns.ts';
import { sweepEndedConversations } from './sweep.ts';
import type { WriteDurability } from './write-durability.port.ts';

const SWEEP_SCHEDULE_RETRY_MS = 2000;
import { untrustedTimeReporter } from './untrusted-time.reporter.ts';

export interface ReconcileSettings extends ReconcileJobSettings, EventFilter {
  readonly prefix: string;
  readonly eventsMaxBytes: number;
  readonly eventsMaxItems: number;
  readonly ownerRule: OwnerRule;
  /** Routing settings: each queue's unresolved wrap-up codes. */
  readonly policy: PolicyConfig;
  /** A time later than its receipt plus this is capped at the receipt. */
  readonly maxEventSkewMs: number;
  readonly concurrency: number;
  readonly lockDurationMs: number;
  readonly batchWindowMs: number;
  /** Freshness bound of the adaptive batch (see CommitBatcher). */
  readonly batchMaxWaitMs: number;
  readonly sweepWindowMs: number;
  readonly sweepEveryMs: number;
}

export interface ReconcileModuleDeps {
  /** The connection the queue writes on (fails fast, so ingest can answer 503). */
  readonly queueConnection: ConnectionOptions;
  readonly events: EventLog;
  /** Waits for replicas before events are acknowledged (DESIGN §6). */
  readonly durability?: WriteDurability;
  readonly lock: CustomerLock;
  readonly store: OwnershipStore;
  readonly cache: CustomerCache;
  /** Genesys as the authority, when credentials are configured; else null. */
  readonly conversations: ConversationSource | null;
  readonly names: NameResolver;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly settings: ReconcileSettings;
  /**
   * Errors that only say Redis is unreachable: the process logs those once per
   * change of state, so the worker does not log each reconnect attempt.
   */
  readonly isOutage?: (error: unknown) => boolean;
  /** Erasure tombstones (privacy requests); none when no PRIVACY_HASH_SECRET is set. */
  readonly tombstones?: ErasureTombstones;
}

/** A running worker (and the sweep schedule); `close` lets active jobs finish and flushes their writes. */
export interface ReconcileWorker {
  readonly worker: Worker;
  /**
   * Settles once the worker is connected and the sweep scheduled. The worker
   * keeps trying in the background while Redis is down, so starting never
   * waits on Redis.
   */
  readonly ready: Promise<void>;
  /**
   * Lets active jobs finish and flushes their writes. `force` (Redis gone, so
   * no job could be marked done anyway) stops at once; their locks expire and
   * another worker takes them over.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

/** Record and reconcile: wrap-up events in, durable ownership out. */
export interface ReconcileModule {
  readonly ingest: IngestService;
  readonly queue: BullReconcileQueue;
  readonly routes: readonly HttpRoute[];
  /** Starts taking reconcile jobs on `connection` (a blocking connection of its own), Redis up or not. */
  startWorker(connection: ConnectionOptions): Promise<ReconcileWorker>;
  close(): Promise<void>;
}

export function createReconcileModule(deps: ReconcileModuleDeps): ReconcileModule {
  const { settings, clock, metrics, logger, conversations } = deps;
  const queue = new BullReconcileQueue(deps.queueConnection, settings.prefix, settings);
  metrics.setQueueCounts(() => queue.counts());
  const onUntrustedTime = untrustedTimeReporter(metrics, logger);
  const ingest = new IngestService({
    events: deps.events,
    queue,
    clock,
    ...(deps.durability && { durability: deps.durability }),
    maxEventSkewMs: settings.maxEventSkewMs,
    onUntrustedTime,
    ...(deps.tombstones && { tombstones: deps.tombstones }),
    onErasedDropped: () => metrics.erasedDropped.inc({ stage: 'ingest' }),
  });
  const routes = [
    eventsRoute({
      ingest,
      filter: settings,
      maxBytes: settings.eventsMaxBytes,
      maxItems: settings.eventsMaxItems,
      metrics,
      logger,
    }),
  ];

  const startWorker = async (connection: ConnectionOptions): Promise<ReconcileWorker> => {
    const { store } = deps;
    const belowReserve = () => store.budget?.belowReserve ?? false;
    const batcher = new CommitBatcher(store, {
      windowMs: settings.batchWindowMs,
      maxWaitMs: settings.batchMaxWaitMs,
      // Below the API reserve, writes go on at the largest batches.
      economy: belowReserve,
    });
    const outage = new OutageGate({
      probe: () => store.ping(),
      exhausted: () => {
        const usage = store.budget?.usage;
        return usage ? usage.used >= usage.limit : false;
      },
      hold: (ms) => queue.bull.rateLimit(ms),
      onChange: (down) => metrics.storeOutage.set(down ? 1 : 0),
      logger,
    });
    const sweep = conversations
      ? () =>
          sweepEndedConversations({ conversations, queue, clock, windowMs: settings.sweepWindowMs })
      : null;
    const worker = createReconcileWorker({
      connection,
      prefix: settings.prefix,
      concurrency: settings.concurrency,
      lockDurationMs: settings.lockDurationMs,
      metrics,
      logger,
      clock,
      sweep,
      isOutage: deps.isOutage ?? (() => false),
      outage,
      belowReserve,
      deps: {
        events: deps.events,
        conversations,
        names: deps.names,
        lock: deps.lock,
        committer: batcher,
        cache: deps.cache,
        ownerRule: settings.ownerRule,
        unresolvedCodes: (queueId) =>
          policyForQueue(settings.policy, queueId).unresolvedWrapupCodes,
        logger,
        clock,
        maxEventSkewMs: settings.maxEventSkewMs,
        onUntrustedTime,
        turns: new CustomerTurns(),
        ...(deps.tombstones && { tombstones: deps.tombstones }),
        onErasedDropped: () => metrics.erasedDropped.inc({ stage: 'reconcile' }),
      },
    });
    let closing = false;
    void worker.run().catch((error: unknown) => logger.error({ err: error }, 'worker stopped'));
    const ready = (async () => {
      await worker.waitUntilReady();
      // The schedule is written on the fail-fast connection: retried until
      // Redis answers (or the worker closes), never a reason not to start.
      while (sweep && !closing) {
        try {
          await queue.scheduleSweep(settings.sweepEveryMs);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, SWEEP_SCHEDULE_RETRY_MS));
        }
      }
    })();
    ready.catch(() => {}); // a worker closed before it was ready
    return {
      worker,
      ready,
      close: async ({ force = false } = {}) => {
        closing = true;
        outage.close();
        // worker.close() waits for active jobs; their CRM writes must be flushed.
        const closed = worker.close(force);
        await batcher.drain();
        await closed;
      },
    };
  };

  return { ingest, queue, routes, startWorker, close: () => queue.close() };
}

/** The reconcile slice's part of the OpenAPI document. */
export const reconcileOpenApi = (): OpenApiPart => eventsOpenApi();
