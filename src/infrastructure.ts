import { createGenesysAdapters } from './adapters/genesys/index.ts';
import * as redisAdapters from './adapters/redis/index.ts';
import { createSalesforceStore } from './adapters/salesforce/index.ts';
import { createSqliteStore } from './adapters/sqlite/index.ts';
import type { Config } from './config/config.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { callRecorder, createMetrics } from './observability/metrics.ts';
import { systemClock, type Clock } from './ports/clock.port.ts';
import type { CustomerCache } from './ports/customer-cache.port.ts';
import type { ErasureTombstones } from './ports/erasure-tombstones.port.ts';
import type { OwnershipStore } from './ports/ownership-store.port.ts';
import type { PersonalDataStore } from './privacy/personal-data.port.ts';
import { noNames, type ConversationSource } from './reconcile/conversation-source.port.ts';
import { RECONCILE_QUEUE } from './reconcile/reconcile.queue.ts';
import { unknownAvailability, type AvailabilitySource } from './routing/availability.port.ts';

/*
 * The infrastructure of one process: the adapters built from the configuration,
 * behind the ports the slices speak. main.ts hands them to the modules.
 */

/** What tests, the demo and benchmarks may put in place of the configured adapters. */
export interface BridgeOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly store?: OwnershipStore;
  readonly availability?: AvailabilitySource;
  readonly conversations?: ConversationSource | null;
}

/** Connections, the store and the Genesys adapters: each opened once, all closed by `close()`. */
export function openInfrastructure(config: Config, overrides: BridgeOverrides = {}) {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const recorder = callRecorder(metrics);
  const store =
    overrides.store ??
    (config.store.kind === 'sqlite'
      ? createSqliteStore(config.store.path)
      : createSalesforceStore({
          config: config.store,
          unknownCustomer: config.reconcile.unknownCustomer,
          recorder,
          logger: logger.child({ adapter: 'salesforce' }),
        }));
  const genesys = config.genesys.enabled
    ? createGenesysAdapters({
        config: config.genesys,
        recorder,
        logger,
        availabilityCacheSeconds: config.lookup.availabilityCacheSeconds,
        contextAttributes: config.reconcile.contextAttributes,
      })
    : null;
  const redis = new redisAdapters.RedisConnections(config.redis.topology);
  const { prefix } = config.redis;
  let cache: CustomerCache | undefined;
  let redisPersonalData: redisAdapters.RedisPersonalData | undefined;
  let storePersonalData: PersonalDataStore | null | undefined;
  /** The system of record's own PersonalDataStore (SQLite's or Salesforce's, on the store's own connection). */
  const ownStorePersonalData = (): PersonalDataStore | null =>
    'personalData' in store && typeof store.personalData === 'function'
      ? (store.personalData as () => PersonalDataStore)()
      : null;
  const tombstones: ErasureTombstones | null = config.privacy.hashSecret
    ? redisAdapters.createTombstones(redis, {
        prefix,
        secret: config.privacy.hashSecret,
        ttlSeconds: config.privacy.tombstoneTtlSeconds,
      })
    : null;
  return {
    config,
    logger,
    metrics,
    redis,
    store,
    clock: overrides.clock ?? systemClock,
    availability: overrides.availability ?? genesys?.availability ?? unknownAvailability,
    conversations:
      overrides.conversations !== undefined
        ? overrides.conversations
        : (genesys?.conversations ?? null),
    names: genesys?.names ?? noNames,
    /** The ownership cache (memory, then Redis), built on first use: queue-only commands open no cache connections. */
    get cache(): CustomerCache {
      return (cache ??= redisAdapters.createOwnershipCache(redis, {
        prefix,
        ttlSeconds: config.lookup.cacheTtlSeconds,
        negativeTtlSeconds: config.lookup.negativeCacheTtlSeconds,
        onResult: (result) => metrics.cacheLookups.inc({ result }),
      }));
    },
    /** Erasure tombstones; null without PRIVACY_HASH_SECRET. */
    tombstones,
    /**
     * Every store of personal data (privacy requests), built on first use:
     * Redis, and the system of record (SQLite, or Salesforce's history rows
     * and the bridge's Contact and Case fields).
     */
    get personalData(): PersonalDataStore[] {
      redisPersonalData ??= redisAdapters.createRedisPersonalData(redis, {
        prefix,
        queueName: RECONCILE_QUEUE,
        failedJobRetentionMs: config.privacy.failedJobRetentionDays * 86_400_000,
        rewriteDebounceMs: config.privacy.rewriteDebounceMs,
        onProblem: (message) => logger.warn(`privacy: ${message}`),
      });
      storePersonalData ??= ownStorePersonalData();
      return [redisPersonalData, ...(storePersonalData ? [storePersonalData] : [])];
    },
    close: async () => {
      // A pending AOF rewrite is asked for now, before the connections go.
      await redisPersonalData?.close().catch(() => {});
      redis.disconnect();
      await store.close();
    },
  };
}
export type Infrastructure = ReturnType<typeof openInfrastructure>;
