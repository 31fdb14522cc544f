import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MAX_PRIORITY, type PolicyConfig } from '../domain/routing-policy.ts';
import type { OwnerRule } from '../domain/conversation.ts';
import { BridgeError } from '../errors/catalogue.ts';
import { QueueSchedule } from '../genesys-artifacts/queue-schedule.ts';
import { EnvSchema, type Env } from './env.schema.ts';
import { describeNodes, hasHashTag, type RedisAuth, type RedisTopology } from './redis-topology.ts';

const HOUR_MS = 3_600_000;

/** Per-queue overrides file: `{ "queues": { "<queueId>": { … } } }`. */
export const QueuePolicyFile = z
  .object({
    queues: z.record(
      z.string().min(1),
      z
        .object({
          affinityWindowHours: z
            .number()
            .positive()
            .max(24 * 365)
            .optional(),
          fallbackQueueId: z.string().optional(),
          vipQueueId: z.string().optional(),
          unresolvedWrapupCodes: z.array(z.string().max(255)).max(200).optional(),
          basePriority: z.number().int().min(0).max(MAX_PRIORITY).optional(),
          unresolvedPriority: z.number().int().min(0).max(MAX_PRIORITY).optional(),
          vipPriority: z.number().int().min(0).max(MAX_PRIORITY).optional(),
          /** Opening hours the generated Genesys flow evaluates; the bridge does not route on them. */
          schedule: QueueSchedule.optional(),
        })
        .strict(),
    ),
  })
  .strict();

export type SalesforceAuth =
  | { flow: 'jwt'; clientId: string; username: string; privateKey: string }
  | { flow: 'client_credentials'; clientId: string; clientSecret: string };

export interface Config {
  readonly env: Env;
  readonly http: {
    port: number;
    host: string;
    apiTokens: readonly string[];
    adminTokens: readonly string[];
    eventsMaxBytes: number;
    eventsMaxItems: number;
    metricsPort: number | undefined;
    shutdownTimeoutMs: number;
    /** HTTPS on the API port; undefined = plain HTTP (behind a TLS-terminating proxy). */
    tls: { certFile: string; keyFile: string } | undefined;
  };
  readonly redis: {
    readonly topology: RedisTopology;
    /** The topology for messages, without secrets: `sentinel mymaster via a:26379,b:26379`. */
    readonly description: string;
    readonly prefix: string;
    /** `/v1/events` answers 202 once this many replicas hold the writes (WAIT), within `timeoutMs`. */
    readonly ack: { readonly replicas: number; readonly timeoutMs: number };
  };
  readonly lookup: {
    deadlineMs: number;
    cacheTtlSeconds: number;
    negativeCacheTtlSeconds: number;
    availabilityCacheSeconds: number;
  };
  readonly policy: PolicyConfig;
  readonly reconcile: {
    ownerRule: OwnerRule;
    contextAttributes: readonly string[];
    messageTypes: readonly string[];
    maxEventSkewMs: number;
    delayMs: number;
    attempts: number;
    concurrency: number;
    lockDurationMs: number;
    customerLockTtlMs: number;
    batchWindowMs: number;
    batchMaxWaitMs: number;
    unknownCustomer: 'history_only' | 'create_contact';
    sweepWindowMinutes: number;
    sweepEveryMinutes: number;
  };
  readonly store:
    | { kind: 'sqlite'; path: string }
    | {
        kind: 'salesforce';
        loginUrl: string;
        apiVersion: string;
        vipField: string;
        /** SF_API_RESERVE_PERCENT: the share of the daily allocation never spent. @defaultValue 10 */
        apiReservePercent?: number;
        auth: SalesforceAuth;
      };
  readonly genesys:
    | { enabled: false }
    | {
        enabled: true;
        region: string;
        clientId: string;
        clientSecret: string;
        availability: boolean;
      };
  readonly logLevel: Env['LOG_LEVEL'];
  readonly privacy: {
    /** Undefined: export and erasure are refused (no tombstones, no audit hashes). */
    hashSecret: string | undefined;
    tombstoneTtlSeconds: number;
    rewriteDebounceMs: number;
    historyRetentionDays: number;
    failedJobRetentionDays: number;
  };
}

/** `PORT: Invalid input: expected number` — one line per problem, naming the variable. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function configError(message: string): BridgeError {
  return new BridgeError('CB_ERR_CONFIG', message);
}

export function readPolicyFile(path: string): z.output<typeof QueuePolicyFile> {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (cause) {
    throw configError(`QUEUE_POLICY_FILE: cannot read ${path} (${(cause as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw configError(`QUEUE_POLICY_FILE: ${path} is not valid JSON`);
  }
  const parsed = QueuePolicyFile.safeParse(json);
  if (!parsed.success) throw configError(`QUEUE_POLICY_FILE: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

function salesforceStore(env: Env): Config['store'] {
  const { SF_CLIENT_ID: clientId, SF_USERNAME: username, SF_CLIENT_SECRET: clientSecret } = env;
  let privateKey = env.SF_PRIVATE_KEY?.replace(/\\n/g, '\n');
  if (!privateKey && env.SF_PRIVATE_KEY_PATH) {
    try {
      privateKey = readFileSync(env.SF_PRIVATE_KEY_PATH, 'utf8');
    } catch (cause) {
      throw configError(`SF_PRIVATE_KEY_PATH: cannot read the key (${(cause as Error).message})`);
    }
  }
  const anySet = clientId || username || clientSecret || privateKey;
  if (!anySet) return { kind: 'sqlite', path: env.SQLITE_PATH };
  if (!clientId) throw configError('SF_CLIENT_ID: required when any Salesforce credential is set');
  const common = {
    kind: 'salesforce' as const,
    loginUrl: env.SF_LOGIN_URL,
    apiVersion: env.SF_API_VERSION,
    vipField: env.SF_VIP_FIELD,
    apiReservePercent: env.SF_API_RESERVE_PERCENT,
  };
  if (privateKey) {
    if (!username)
      throw configError('SF_USERNAME: required for the JWT bearer flow (SF_PRIVATE_KEY set)');
    if (!privateKey.includes('PRIVATE KEY'))
      throw configError('SF_PRIVATE_KEY: not a PEM private key');
    return { ...common, auth: { flow: 'jwt', clientId, username, privateKey } };
  }
  if (clientSecret)
    return { ...common, auth: { flow: 'client_credentials', clientId, clientSecret } };
  throw configError(
    'SF_PRIVATE_KEY: set a private key (JWT bearer) or SF_CLIENT_SECRET (client credentials)',
  );
}

function tlsFiles(env: Env): Config['http']['tls'] {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = env;
  if (!certFile && !keyFile) return undefined;
  if (!certFile) throw configError('TLS_CERT_FILE: required when TLS_KEY_FILE is set');
  if (!keyFile) throw configError('TLS_KEY_FILE: required when TLS_CERT_FILE is set');
  for (const [name, path] of [
    ['TLS_CERT_FILE', certFile],
    ['TLS_KEY_FILE', keyFile],
  ] as const) {
    try {
      readFileSync(path);
    } catch (cause) {
      throw configError(`${name}: cannot read ${path} (${(cause as Error).message})`);
    }
  }
  return { certFile, keyFile };
}

function genesys(env: Env): Config['genesys'] {
  const { GENESYS_CLIENT_ID: clientId, GENESYS_CLIENT_SECRET: clientSecret } = env;
  if (!clientId && !clientSecret) return { enabled: false };
  if (!clientId) throw configError('GENESYS_CLIENT_ID: required when GENESYS_CLIENT_SECRET is set');
  if (!clientSecret)
    throw configError('GENESYS_CLIENT_SECRET: required when GENESYS_CLIENT_ID is set');
  return {
    enabled: true,
    region: env.GENESYS_REGION,
    clientId,
    clientSecret,
    availability: env.GENESYS_AVAILABILITY,
  };
}

function readCa(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw configError(`REDIS_TLS_CA_PATH: cannot read ${path} (${(cause as Error).message})`);
  }
}

/** `redis://:secret@host:6379/0` → `redis://host:6379/0`. */
function withoutCredentials(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  return copy.toString().replace(/\/$/, '');
}

/** The Redis topology from the environment: Sentinel, Cluster or one server, never two at once. */
function redisSettings(env: Env): Config['redis'] {
  const sentinels = env.REDIS_SENTINELS;
  const clusterNodes = env.REDIS_CLUSTER_NODES;
  if (sentinels && clusterNodes)
    throw configError(
      'REDIS_SENTINELS: set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both',
    );
  const url = new URL(env.REDIS_URL);
  const auth: RedisAuth = {
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    tls: env.REDIS_TLS,
    tlsCa: readCa(env.REDIS_TLS_CA_PATH),
  };
  let topology: RedisTopology;
  let description: string;
  if (sentinels) {
    const masterName = env.REDIS_SENTINEL_MASTER;
    if (!masterName)
      throw configError(
        'REDIS_SENTINEL_MASTER: required with REDIS_SENTINELS (the monitored master name)',
      );
    topology = {
      kind: 'sentinel',
      sentinels,
      masterName,
      auth,
      sentinelAuth: {
        username: env.REDIS_SENTINEL_USERNAME,
        password: env.REDIS_SENTINEL_PASSWORD,
        tls: env.REDIS_SENTINEL_TLS,
      },
    };
    description = `sentinel master ${masterName} via ${describeNodes(sentinels)}`;
  } else if (clusterNodes) {
    if (!hasHashTag(env.REDIS_PREFIX))
      throw configError(
        `REDIS_PREFIX: on a Redis Cluster the prefix needs a {hash tag} so a queue's keys share a slot (e.g. {continuity}), got ${env.REDIS_PREFIX}`,
      );
    topology = { kind: 'cluster', nodes: clusterNodes, auth };
    description = `cluster via ${describeNodes(clusterNodes)}`;
  } else {
    if (env.REDIS_SENTINEL_MASTER)
      throw configError('REDIS_SENTINELS: required with REDIS_SENTINEL_MASTER (host:port list)');
    topology = {
      kind: 'single',
      url: env.REDIS_URL,
      auth: {
        ...auth,
        username: auth.username ?? (decodeURIComponent(url.username) || undefined),
        password: auth.password ?? (decodeURIComponent(url.password) || undefined),
        tls: auth.tls || url.protocol === 'rediss:',
      },
    };
    description = withoutCredentials(url);
  }
  const replicas =
    env.REDIS_WAIT_REPLICAS === 'auto'
      ? topology.kind === 'sentinel'
        ? 1
        : 0
      : env.REDIS_WAIT_REPLICAS;
  return {
    topology,
    description,
    prefix: env.REDIS_PREFIX,
    ack: { replicas, timeoutMs: env.REDIS_WAIT_TIMEOUT_MS },
  };
}

/** Parses the environment once; throws a CB_ERR_CONFIG naming the bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) throw configError(formatIssues(parsed.error));
  const env = parsed.data;
  const overrides = env.QUEUE_POLICY_FILE ? readPolicyFile(env.QUEUE_POLICY_FILE).queues : {};
  const perQueue = Object.fromEntries(
    Object.entries(overrides).map(([queueId, o]) => [
      queueId,
      {
        ...(o.affinityWindowHours !== undefined && {
          affinityWindowMs: o.affinityWindowHours * HOUR_MS,
        }),
        ...(o.fallbackQueueId !== undefined && { fallbackQueueId: o.fallbackQueueId }),
        ...(o.vipQueueId !== undefined && { vipQueueId: o.vipQueueId }),
        ...(o.unresolvedWrapupCodes !== undefined && {
          unresolvedWrapupCodes: o.unresolvedWrapupCodes,
        }),
        ...(o.basePriority !== undefined && { basePriority: o.basePriority }),
        ...(o.unresolvedPriority !== undefined && { unresolvedPriority: o.unresolvedPriority }),
        ...(o.vipPriority !== undefined && { vipPriority: o.vipPriority }),
      },
    ]),
  );
  const config: Config = {
    env,
    http: {
      port: env.PORT,
      host: env.HOST,
      apiTokens: env.API_TOKENS,
      adminTokens: adminTokens(env),
      eventsMaxBytes: env.EVENTS_MAX_BYTES,
      eventsMaxItems: env.EVENTS_MAX_ITEMS,
      metricsPort: env.METRICS_PORT,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      tls: tlsFiles(env),
    },
    redis: redisSettings(env),
    lookup: {
      deadlineMs: env.LOOKUP_DEADLINE_MS,
      cacheTtlSeconds: env.CACHE_TTL_SECONDS,
      negativeCacheTtlSeconds: env.NEGATIVE_CACHE_TTL_S ?? env.NEGATIVE_CACHE_TTL_SECONDS ?? 900,
      availabilityCacheSeconds: env.AVAILABILITY_CACHE_SECONDS,
    },
    policy: {
      defaults: {
        affinityWindowMs: env.AFFINITY_WINDOW_HOURS * HOUR_MS,
        fallbackQueueId: env.FALLBACK_QUEUE_ID,
        vipQueueId: env.VIP_QUEUE_ID,
        unresolvedWrapupCodes: env.UNRESOLVED_WRAPUP_CODES,
        basePriority: 0,
        unresolvedPriority: env.UNRESOLVED_PRIORITY,
        vipPriority: env.VIP_PRIORITY,
      },
      perQueue,
      maxPreferredAgents: env.MAX_PREFERRED_AGENTS,
    },
    reconcile: {
      ownerRule: env.OWNER_RULE,
      contextAttributes: env.CONTEXT_ATTRIBUTES,
      messageTypes: env.EVENT_MESSAGE_TYPES,
      maxEventSkewMs: env.MAX_EVENT_SKEW_MS,
      delayMs: env.RECONCILE_DELAY_MS,
      attempts: env.RECONCILE_ATTEMPTS,
      concurrency: env.WORKER_CONCURRENCY,
      lockDurationMs: env.WORKER_LOCK_DURATION_MS,
      customerLockTtlMs: env.CUSTOMER_LOCK_TTL_MS,
      batchWindowMs: env.COMMIT_BATCH_WINDOW_MS,
      batchMaxWaitMs: env.COMMIT_BATCH_MAX_WAIT_MS,
      unknownCustomer: env.UNKNOWN_CUSTOMER,
      sweepWindowMinutes: env.SWEEP_WINDOW_MINUTES,
      sweepEveryMinutes: env.SWEEP_EVERY_MINUTES,
    },
    store: salesforceStore(env),
    genesys: genesys(env),
    logLevel: env.LOG_LEVEL,
    privacy: {
      hashSecret: env.PRIVACY_HASH_SECRET,
      tombstoneTtlSeconds: env.PRIVACY_TOMBSTONE_TTL_SECONDS,
      rewriteDebounceMs: env.PRIVACY_REWRITE_DEBOUNCE_MS,
      historyRetentionDays: env.HISTORY_RETENTION_DAYS,
      failedJobRetentionDays: env.FAILED_JOB_RETENTION_DAYS,
    },
  };
  return deepFreeze(config);
}

/** A token is either an API (Data Action) token or an admin token, never both. */
function adminTokens(env: Env): readonly string[] {
  const api = new Set(env.API_TOKENS);
  if (env.ADMIN_API_TOKENS.some((token) => api.has(token)))
    throw configError('ADMIN_API_TOKENS: a token is also in API_TOKENS; use distinct tokens');
  return env.ADMIN_API_TOKENS;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
