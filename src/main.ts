import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { Express } from 'express';
import type { Config } from './config/config.ts';
import { buildOpenApi } from './contracts/openapi.ts';
import { SqliteOwnershipStore } from './adapters/sqlite/ownership-store.sqlite.ts';
import { createRedis } from './adapters/redis/redis-connections.ts';
import { RedisCustomerCache } from './adapters/redis/customer-cache.redis.ts';
import { buildApp } from './http/app.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { unknownAvailability, type AvailabilitySource } from './ports/availability.port.ts';
import { systemClock, type Clock } from './ports/clock.port.ts';
import type { OwnershipStore } from './ports/ownership-store.port.ts';
import { LookupService } from './routing/lookup.service.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

export interface BridgeOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly store?: OwnershipStore;
  readonly availability?: AvailabilitySource;
}

export interface Bridge {
  readonly config: Config;
  readonly app: Express;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly store: OwnershipStore;
  readonly redis: { readonly cache: Redis };
  readonly lookup: LookupService;
  /** Listens on config.http (port 0 = any free port); resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting requests, drains in-flight ones, closes connections. */
  close(): Promise<void>;
}

async function createStore(config: Config): Promise<OwnershipStore> {
  if (config.store.kind === 'sqlite') return new SqliteOwnershipStore(config.store.path);
  throw new Error('Salesforce store is not wired yet');
}

/**
 * The composition root: the only place where adapters meet use cases. Every
 * entry point (CLI serve/worker, tests, benchmarks) builds the bridge here.
 */
export async function createBridge(config: Config, overrides: BridgeOverrides = {}): Promise<Bridge> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const clock = overrides.clock ?? systemClock;
  const store = overrides.store ?? (await createStore(config));
  const cacheRedis = createRedis(config.redis.url, 'cache');
  const cache = new RedisCustomerCache(cacheRedis, {
    prefix: config.redis.prefix,
    ttlSeconds: config.lookup.cacheTtlSeconds,
    negativeTtlSeconds: config.lookup.negativeCacheTtlSeconds,
    onResult: (result) => metrics.cacheLookups.inc({ result }),
  });
  const lookup = new LookupService({
    store,
    cache,
    availability: overrides.availability ?? unknownAvailability,
    clock,
    policy: config.policy,
    deadlineMs: config.lookup.deadlineMs,
    onStoreError: (error) => logger.warn({ err: error }, 'store read failed; answering crm_unavailable'),
  });
  const app = buildApp({
    lookup,
    apiTokens: config.http.apiTokens,
    metrics,
    logger,
    readiness: [
      { name: 'redis', check: async () => void (await cacheRedis.ping()) },
      { name: store.kind, check: () => store.ping() },
    ],
    openApi: buildOpenApi({ version: VERSION }),
  });

  let server: Server | undefined;
  return {
    config,
    app,
    logger,
    metrics,
    store,
    redis: { cache: cacheRedis },
    lookup,
    listen: () =>
      new Promise((resolve, reject) => {
        const listening = app.listen(config.http.port, config.http.host, (error?: Error) => {
          if (error) return reject(error);
          const address = listening.address();
          resolve(typeof address === 'object' && address ? address.port : config.http.port);
        });
        listening.keepAliveTimeout = 65_000;
        server = listening;
      }),
    close: async () => {
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        await closing;
      }
      cacheRedis.disconnect();
      await store.close();
    },
  };
}
