import type { ConnectionOptions, Worker } from 'bullmq';
import type { OwnerRule } from '../domain/conversation.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { CustomerCache } from '../ports/customer-cache.port.ts';
import type { HttpRoute, OpenApiPart } from '../ports/http-route.port.ts';
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
import { sweepEndedConversations } from './sweep.ts';
import { untrustedTimeReporter } from './untrusted-time.reporter.ts';

export interface ReconcileSettings extends ReconcileJobSettings, EventFilter {
  readonly prefix: string;
  readonly eventsMaxBytes: number;
  readonly ownerRule: OwnerRule;
  /** A time later than its receipt plus this is capped at the receipt. */
  readonly maxEventSkewMs: number;
  readonly concurrency: number;
  readonly lockDurationMs: number;
  readonly batchWindowMs: number;
  readonly sweepWindowMs: number;
  readonly sweepEveryMs: number;
}

export interface ReconcileModuleDeps {
  /** The connection the queue writes on (fails fast, so ingest can answer 503). */
  readonly queueConnection: ConnectionOptions;
  readonly events: EventLog;
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
}

/** A running worker (and the sweep schedule); `close` lets active jobs finish and flushes their writes. */
export interface ReconcileWorker {
  readonly worker: Worker;
  close(): Promise<void>;
}

/** Record and reconcile: wrap-up events in, durable ownership out. */
export interface ReconcileModule {
  readonly ingest: IngestService;
  readonly queue: BullReconcileQueue;
  readonly routes: readonly HttpRoute[];
  /** Starts taking reconcile jobs on `connection` (a blocking connection of its own). */
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
    maxEventSkewMs: settings.maxEventSkewMs,
    onUntrustedTime,
  });
  const routes = [
    eventsRoute({ ingest, filter: settings, maxBytes: settings.eventsMaxBytes, metrics, logger }),
  ];

  const startWorker = async (connection: ConnectionOptions): Promise<ReconcileWorker> => {
    const batcher = new CommitBatcher(deps.store, { windowMs: settings.batchWindowMs });
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
      deps: {
        events: deps.events,
        conversations,
        names: deps.names,
        lock: deps.lock,
        committer: batcher,
        cache: deps.cache,
        ownerRule: settings.ownerRule,
        logger,
        clock,
        maxEventSkewMs: settings.maxEventSkewMs,
        onUntrustedTime,
      },
    });
    if (sweep) await queue.scheduleSweep(settings.sweepEveryMs);
    void worker.run();
    await worker.waitUntilReady();
    return {
      worker,
      close: async () => {
        // worker.close() waits for active jobs; their CRM writes must be flushed.
        const closing = worker.close();
        await batcher.drain();
        await closing;
      },
    };
  };

  return { ingest, queue, routes, startWorker, close: () => queue.close() };
}

/** The reconcile slice's part of the OpenAPI document. */
export const reconcileOpenApi = (): OpenApiPart => eventsOpenApi();
