import { readFileSync } from 'node:fs';
import * as redisAdapters from './adapters/redis/index.ts';
import type { Config } from './config/config.ts';
import { buildApp, buildOpsApp } from './http/app.ts';
import { NotReadyError } from './http/ops.router.ts';
import { buildOpenApi } from './http/openapi.ts';
import { HttpServer } from './http/server.ts';
import { openInfrastructure, type BridgeOverrides, type Infrastructure } from './infrastructure.ts';
import { withCustomerLocks } from './reconcile/customer-keys-lock.ts';
import { createReconcileModule, reconcileOpenApi } from './reconcile/reconcile.module.ts';
import { createPrivacyModule, privacyModuleOpenApi } from './privacy/privacy.module.ts';
import { createRoutingModule, routingOpenApi } from './routing/routing.module.ts';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** How long start-up waits for a worker to take jobs before the web role listens anyway. */
const WORKER_READY_WAIT_MS = 5000;

/** Redis refused the command to this user (ACL): `NOPERM …`. */
const isNoPermission = (error: unknown) =>
  error instanceof Error && /^NOPERM\b/.test(error.message);

/** Which parts run in this process: web (HTTP), worker (reconcile), or both (default). */
export interface BridgeRoles {
  readonly web: boolean;
  readonly worker: boolean;
}

export function routingModule(infra: Infrastructure) {
  const { policy, lookup } = infra.config;
  return createRoutingModule({
    ...infra,
    cache: infra.cache,
    policy,
    deadlineMs: lookup.deadlineMs,
  });
}

/** Customers' data rights over every store of personal data (issue 16). */
export function privacyModule(infra: Infrastructure) {
  const { config, redis } = infra;
  const lock = redisAdapters.createCustomerLock(redis, {
    prefix: config.redis.prefix,
    ttlMs: config.reconcile.customerLockTtlMs,
  });
  return createPrivacyModule({
    stores: infra.personalData,
    tombstones: infra.tombstones,
    lockCustomer: (keys, work) => withCustomerLocks(lock, keys, work),
    clock: infra.clock,
    logger: infra.logger,
    metrics: infra.metrics,
    historyRetentionDays: config.privacy.historyRetentionDays,
  });
}

export function reconcileModule(infra: Infrastructure) {
  const { config, redis } = infra;
  const { prefix } = config.redis;
  const r = config.reconcile;
  return createReconcileModule({
    store: infra.store,
    conversations: infra.conversations,
    names: infra.names,
    clock: infra.clock,
    metrics: infra.metrics,
    logger: infra.logger,
    isOutage: redisAdapters.isRedisConnectionError,
    queueConnection: redis.get('producer'),
    events: redisAdapters.createEventLog(redis, prefix),
    durability: redisAdapters.createWriteDurability(redis, { prefix, ...config.redis.ack }),
    lock: redisAdapters.createCustomerLock(redis, { prefix, ttlMs: r.customerLockTtlMs }),
    ...(infra.tombstones && { tombstones: infra.tombstones }),
    // Read only when a worker starts.
    get cache() {
      return infra.cache;
    },
    settings: {
      ...r,
      failedJobRetentionDays: config.privacy.failedJobRetentionDays,
      policy: config.policy,
      prefix,
      eventsMaxBytes: config.http.eventsMaxBytes,
      eventsMaxItems: config.http.eventsMaxItems,
      sweepWindowMs: r.sweepWindowMinutes * 60_000,
      sweepEveryMs: r.sweepEveryMinutes * 60_000,
    },
  });
}

/**
 * A store check that succeeded is trusted this long: a load balancer polling
 * `/readyz` every few seconds must not spend the org's API calls (Salesforce
 * counts every `GET …/limits`). A failure is checked again at the next poll.
 */
const STORE_READY_TRUST_MS = 30_000;

function trustedFor(ms: number, check: () => Promise<void>): () => Promise<void> {
  let okUntil = 0;
  return async () => {
    if (Date.now() < okUntil) return;
    await check();
    okUntil = Date.now() + ms;
  };
}

/** The OpenAPI document: the shell's parts and each slice's. */
export function openApiDocument(): Record<string, unknown> {
  return buildOpenApi({
    version: VERSION,
    parts: [routingOpenApi(), reconcileOpenApi(), privacyModuleOpenApi()],
  });
}

/**
 * The composition root: infrastructure, then the routing and reconcile
 * modules, then the HTTP app; `roles` decide whether this process starts the
 * worker. Every entry point (CLI serve/worker, tests, benchmarks, demo) builds
 * the bridge here.
 */
export async function createBridge(
  config: Config,
  overrides: BridgeOverrides = {},
  roles: BridgeRoles = { web: true, worker: true },
) {
  const infra = openInfrastructure(config, overrides);
  const { redis, store, metrics, logger } = infra;
  const cacheConnection = redis.get('cache');
  // Once per change of state, not once per reconnect attempt.
  const stopWatching = redisAdapters.watchReachability(cacheConnection, (state, cause) => {
    if (state === 'reachable') logger.info({ redis: state }, 'Redis reachable');
    else
      logger.warn(
        { redis: state, cause },
        'Redis unreachable: lookups answer from the store, /v1/events answers 503 and the worker waits; retrying in the background',
      );
  });
  await redis.open(['cache', 'producer', 'subscriber']);
  const routing = routingModule(infra);
  const privacy = privacyModule(infra);
  const reconcile = reconcileModule(infra);
  const readiness = [
    {
      name: 'redis',
      check: async () => {
        if (cacheConnection.status !== 'ready') throw new NotReadyError('unreachable');
        // A key read under the prefix, not PING: an ACL user without access to
        // the bridge's keys (PING is often allowed to everyone) is not ready.
        await cacheConnection.exists(`${config.redis.prefix}:readyz`).catch((error: unknown) => {
          throw isNoPermission(error) ? new NotReadyError('not_permitted') : error;
        });
      },
    },
    { name: store.kind, check: trustedFor(STORE_READY_TRUST_MS, () => store.ping()) },
  ];
  const openApi = openApiDocument();
  const routes = [...routing.routes, ...reconcile.routes, ...privacy.routes];
  const app = buildApp({
    ...infra,
    routes,
    apiTokens: config.http.apiTokens,
    adminTokens: config.http.adminTokens,
    readiness,
    openApi,
  });
  const http = new HttpServer((error) =>
    error
      ? logger.warn({ err: error }, 'TLS certificate not reloaded: still serving the previous one')
      : logger.info('TLS certificate reloaded'),
  );
  const opsHttp = new HttpServer();
  const { port, host } = config.http;
  let worker: Awaited<ReturnType<typeof reconcile.startWorker>> | null = null;
  let stopRetention = () => {};

  /** Stops taking requests and jobs, drains what is in flight, closes connections. */
  const close = async () => {
    try {
      // Half of the shutdown budget for requests; the rest for jobs and connections.
      const graceMs = Math.floor(config.http.shutdownTimeoutMs / 2);
      await Promise.all([http.close(graceMs), opsHttp.close(graceMs)]);
      stopRetention();
      // With Redis gone, waiting for jobs could never end: stop them at once.
      await worker?.close({ force: cacheConnection.status !== 'ready' });
      await reconcile.close();
    } finally {
      stopWatching();
      await infra.close(); // whatever failed above
    }
  };
  if (roles.worker) {
    worker = await reconcile.startWorker(redis.get('worker')).catch(async (error) => {
      await close().catch(() => {});
      throw error;
    });
    // The daily retention pass (docs/privacy.md): one worker a day runs it.
    stopRetention = privacy.startRetention(
      redisAdapters.createRetentionClaim(redis.get('producer'), config.redis.prefix),
    );
    // With Redis up, return a worker that is already taking jobs; with Redis
    // down, return at once (the web role must listen) and let it connect later.
    // The wait is bounded: a Redis that answers but refuses the worker's
    // commands (an ACL without the queue's keys) must not keep the web role
    // from listening; /readyz names the problem.
    if (cacheConnection.status === 'ready') {
      const ready = await Promise.race([
        worker.ready.then(() => true),
        new Promise<false>((resolve) => setTimeout(resolve, WORKER_READY_WAIT_MS, false).unref()),
      ]).catch(async (error: unknown) => {
        // Redis answered but refused the worker (e.g. NOPERM): stop everything
        // rather than leave a worker retrying a command it may never run.
        await close().catch(() => {});
        if (!isNoPermission(error)) throw error;
        throw new Error(
          `Redis refused a command to the bridge's ACL user (${(error as Error).message}): grant it the prefix's keys and channels and every command BullMQ uses, INFO included (docs/operations.md, "Managed Redis")`,
        );
      });
      if (!ready)
        logger.warn('the worker is not taking jobs yet: check the Redis user and its ACL');
    }
  }
  return {
    infra,
    routing,
    reconcile,
    privacy,
    app,
    close,
    worker: worker?.worker ?? null,
    /** Listens on config.http (port 0 = any free port); resolves with the bound port. */
    listen: () => http.listen(app.listener, app, port, host, config.http.tls),
    /** Reads the TLS certificate and key again (SIGHUP). */
    reloadTls: () => http.reloadTls(),
    /** Health, readiness and metrics, open, on `opsPort` (METRICS_PORT), plain HTTP. */
    listenOps: (opsPort: number) => {
      const ops = buildOpsApp({ metrics, readiness, openApi });
      return opsHttp.listen(ops, ops, opsPort, host);
    },
  };
}
export type Bridge = Awaited<ReturnType<typeof createBridge>>;

export type { BridgeOverrides, Infrastructure };
