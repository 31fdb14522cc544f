import type { Config } from '../config/config.ts';
import { openInfrastructure, type Infrastructure } from '../infrastructure.ts';
import { privacyModule, reconcileModule, routingModule } from '../main.ts';
import { createLogger } from '../observability/logger.ts';
import type { ConversationSource } from '../reconcile/conversation-source.port.ts';
import type { IngestService } from '../reconcile/ingest.service.ts';
import type { ReconcileModule } from '../reconcile/reconcile.module.ts';
import type { BullReconcileQueue } from '../reconcile/reconcile.queue.ts';
import type { LookupService } from '../routing/lookup.service.ts';
import type { PrivacyService } from '../privacy/privacy.service.ts';
import type { CliIo } from './cli-io.ts';

/** `redis://:secret@host:6379/0` → `redis://host:6379/0`, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Operator commands log to stderr (stdout carries the answer, maybe JSON) and
 * only warnings unless LOG_LEVEL is set explicitly.
 */
export function commandLogger(config: Config, env: NodeJS.ProcessEnv, io: CliIo) {
  const level = env.LOG_LEVEL ? config.logLevel : 'warn';
  return createLogger(level, { write: (line: string) => io.stderr(line) });
}

/** Throws a readable error when the queue's (or another role's) Redis could not be reached. */
function requireRedis(infra: Infrastructure, role: 'producer' | 'cache' = 'producer'): void {
  if (infra.redis.get(role).status === 'ready') return;
  throw new Error(
    `Redis (${infra.config.redis.description}) is not reachable (check REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES; "continuity-bridge doctor" tells more)`,
  );
}

/** Opens the infrastructure a command needs (the same composition as the server), runs `body`, closes. */
async function withInfrastructure<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (infra: Infrastructure) => Promise<T>,
): Promise<T> {
  const infra = openInfrastructure(config, { logger: commandLogger(config, env, io) });
  try {
    return await body(infra);
  } finally {
    await infra.close();
  }
}

/** `lookup`: the server's own lookup (cache, store, availability, policy), so the answer is the flow's. */
export function withLookup<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (lookup: LookupService, cacheReachable: () => boolean) => Promise<T>,
): Promise<T> {
  return withInfrastructure(config, env, io, async (infra) => {
    await infra.redis.open(['cache', 'subscriber']);
    const { lookup } = routingModule(infra);
    return body(lookup, () => infra.redis.get('cache').status === 'ready');
  });
}

/** The reconcile module on the queue's connection; refuses to start without Redis. */
async function withReconcile<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (reconcile: ReconcileModule, infra: Infrastructure) => Promise<T>,
): Promise<T> {
  return withInfrastructure(config, env, io, async (infra) => {
    await infra.redis.open(['producer']);
    requireRedis(infra);
    const reconcile = reconcileModule(infra);
    try {
      return await body(reconcile, infra);
    } finally {
      await reconcile.close();
    }
  });
}

/** `replay` and `backfill`: the ingest (event log and queue), and Genesys conversations when configured. */
export function withIngest<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (ingest: IngestService, conversations: ConversationSource | null) => Promise<T>,
): Promise<T> {
  return withReconcile(config, env, io, (reconcile, infra) =>
    body(reconcile.ingest, infra.conversations),
  );
}

/** `backfill --dry-run`: Genesys conversations alone (nothing is queued). */
export function withConversations<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (conversations: ConversationSource | null) => Promise<T>,
): Promise<T> {
  return withInfrastructure(config, env, io, (infra) => body(infra.conversations));
}

/** `failed`: the reconcile queue alone. */
export function withQueue<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (queue: BullReconcileQueue) => Promise<T>,
): Promise<T> {
  return withReconcile(config, env, io, (reconcile) => body(reconcile.queue));
}

/** `repair-versions`: the store, and the ownership cache to drop what it changed. */
export function withStoreAndCache<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (store: Infrastructure['store'], cache: Infrastructure['cache']) => Promise<T>,
): Promise<T> {
  return withInfrastructure(config, env, io, async (infra) => {
    await infra.redis.open(['cache', 'subscriber']);
    return body(infra.store, infra.cache);
  });
}

/** `privacy`: every store of personal data, the tombstones and the customer lock; needs Redis. */
export function withPrivacy<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (privacy: PrivacyService) => Promise<T>,
): Promise<T> {
  return withInfrastructure(config, env, io, async (infra) => {
    await infra.redis.open(['producer']);
    requireRedis(infra);
    // The audit line goes to stderr at info whatever LOG_LEVEL says.
    const audit = createLogger('info', { write: (line: string) => io.stderr(line) });
    return body(privacyModule({ ...infra, logger: audit }).service);
  });
}

/** `cache clear`: the ownership cache's own connection (refuses to run without Redis). */
export function withCacheRedis<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (redis: ReturnType<Infrastructure['redis']['get']>) => Promise<T>,
): Promise<T> {
  return withInfrastructure(config, env, io, async (infra) => {
    await infra.redis.open(['cache']).catch(() => {});
    requireRedis(infra, 'cache');
    return body(infra.redis.get('cache'));
  });
}
