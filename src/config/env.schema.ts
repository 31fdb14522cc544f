import { z } from 'zod';
import { ATTRIBUTES_MAX } from '../domain/conversation-context.ts';
import { MAX_PRIORITY } from '../domain/routing-policy.ts';
import { RedisNodeList } from './redis-topology.ts';

/**
 * Every environment variable the bridge reads, with its default. Nothing else
 * in the code base touches `process.env`. Defaults are chosen so that `npm
 * start` works with nothing but a local Redis.
 */

const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
/** The longest API or admin token, in UTF-8 bytes: tokens are compared as blocks of this size. */
export const MAX_TOKEN_BYTES = 256;

const apiToken = (what: string) =>
  z
    .string()
    .min(16, `${what} needs at least 16 characters`)
    .refine(
      (token) => Buffer.byteLength(token) <= MAX_TOKEN_BYTES,
      `${what} has at most ${MAX_TOKEN_BYTES} bytes`,
    );

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const EnvSchema = z.object({
  /** HTTP port. @defaultValue 8080 */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Every process serves /healthz, /readyz and /metrics, open, on this port when set (keep it private). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** PEM certificate chain: with TLS_KEY_FILE, the API port serves HTTPS (reloaded on SIGHUP or change). */
  TLS_CERT_FILE: optionalString,
  /** PEM private key of TLS_CERT_FILE. */
  TLS_KEY_FILE: optionalString,
  /** Interface to bind. @defaultValue 0.0.0.0 */
  HOST: z.string().default('0.0.0.0'),
  /** @defaultValue redis://127.0.0.1:6379 */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /** Key prefix; the braces make it a Redis Cluster hash tag. @defaultValue {continuity} */
  REDIS_PREFIX: z.string().min(1).default('{continuity}'),
  /** ACL user for the data nodes (every topology); wins over a user in REDIS_URL. */
  REDIS_USERNAME: optionalString,
  /** Password for the data nodes (every topology); wins over a password in REDIS_URL. */
  REDIS_PASSWORD: optionalString,
  /** TLS to the data nodes for Sentinel and Cluster (one server: use rediss://). @defaultValue false */
  REDIS_TLS: bool(false),
  /** PEM file of a private CA that signed the Redis certificates; unset = Node's trust store. */
  REDIS_TLS_CA_PATH: optionalString,
  /** Sentinel: comma-separated host:port of the sentinels; selects the Sentinel topology. */
  REDIS_SENTINELS: RedisNodeList,
  /** Sentinel: the monitored master's name (`sentinel monitor <name> …`). */
  REDIS_SENTINEL_MASTER: optionalString,
  /** Sentinel: ACL user and password of the sentinels themselves (`requirepass` in sentinel.conf). */
  REDIS_SENTINEL_USERNAME: optionalString,
  REDIS_SENTINEL_PASSWORD: optionalString,
  /** Sentinel: TLS to the sentinels. @defaultValue false */
  REDIS_SENTINEL_TLS: bool(false),
  /** Cluster: comma-separated host:port of some cluster nodes (seeds); selects the Cluster topology. */
  REDIS_CLUSTER_NODES: RedisNodeList,
  /**
   * Replicas that must hold events and jobs before `/v1/events` answers 202
   * (`WAIT`): `auto` = 1 on Sentinel, 0 otherwise. @defaultValue auto
   */
  REDIS_WAIT_REPLICAS: z
    .union([z.literal('auto'), z.coerce.number().int().min(0).max(10)])
    .default('auto'),
  /**
   * How long `/v1/events` waits for the replicas before answering 503; at most
   * 1500 so it fits the producer connection's 2 s command timeout. @defaultValue 500
   */
  REDIS_WAIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(1500).default(500),
  /** Comma-separated API tokens; when empty, `serve` generates one and prints it once. */
  API_TOKENS: csv.pipe(z.array(apiToken('each token'))),
  /**
   * Comma-separated admin tokens: the only ones privacy requests
   * (`POST /v1/privacy/requests`) take; never also in API_TOKENS.
   */
  ADMIN_API_TOKENS: csv.pipe(z.array(apiToken('each admin token'))),
  /**
   * HMAC key of erasure tombstones and of the customer hashes in privacy audit
   * lines; the same on every process. Unset: export and erasure are refused.
   */
  PRIVACY_HASH_SECRET: optionalString.pipe(
    z.string().min(32, 'needs at least 32 characters').optional(),
  ),
  /** How long an erasure tombstone drops late events: the longest redelivery window. @defaultValue 691200 (8 days, as the event log) */
  PRIVACY_TOMBSTONE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(3600)
    .default(8 * 24 * 3600),
  /** An erasure asks Redis to rewrite its AOF (and RDB) within this many ms. @defaultValue 60000 */
  PRIVACY_REWRITE_DEBOUNCE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** History older than this is deleted, current owners older cleared (worker, daily). @defaultValue 365 */
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** Failed reconcile jobs are kept this long. @defaultValue 30 */
  FAILED_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Embedded store used when no Salesforce credentials are set. @defaultValue ./data/continuity.sqlite */
  SQLITE_PATH: z.string().min(1).default('./data/continuity.sqlite'),
  /**
   * A stop (SIGTERM, SIGINT) drains requests and jobs for at most this long,
   * then the process exits whatever is still pending (Redis or the CRM gone).
   * @defaultValue 10000
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /** pino level. @defaultValue info */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  /** The lookup always answers within this many ms. @defaultValue 2000 */
  // At least 300 ms: the cache's own command timeout (250 ms) must fit inside it.
  LOOKUP_DEADLINE_MS: z.coerce.number().int().min(300).max(30_000).default(2000),
  /** Positive cache entries live this long. @defaultValue 86400 (a day; reconcile writes through) */
  CACHE_TTL_SECONDS: positiveInt(86_400),
  /**
   * "Unknown customer" entries (no Contact, no history) live this long, in Redis
   * and the near cache. The bridge's own write for the customer replaces the
   * entry at once; a Contact created in Salesforce by someone else is seen after
   * at most this long (plus the near cache's 30 s). Bounded to a day.
   * @defaultValue 900 (15 minutes)
   */
  NEGATIVE_CACHE_TTL_S: z.coerce.number().int().min(1).max(86_400).optional(),
  /** Deprecated name of NEGATIVE_CACHE_TTL_S, still read when that one is not set. */
  NEGATIVE_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  /** Agent availability is cached this long. @defaultValue 30 */
  AVAILABILITY_CACHE_SECONDS: nonNegativeInt(30),

  /** Default affinity window. @defaultValue 168 (7 days: past Genesys' 72 h thread) */
  AFFINITY_WINDOW_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(168),
  /** Default fallback queue; empty = the queue the flow passed. */
  FALLBACK_QUEUE_ID: z.string().default(''),
  /** VIP queue; empty disables the VIP route. */
  VIP_QUEUE_ID: z.string().default(''),
  /** JSON file with per-queue overrides (see README). */
  QUEUE_POLICY_FILE: optionalString,
  /** Owner after transfers: the last handling agent or the first. @defaultValue last */
  OWNER_RULE: z.enum(['last', 'first']).default('last'),
  /** Wrap-up code ids or names meaning "not solved yet" (per queue in QUEUE_POLICY_FILE). */
  UNRESOLVED_WRAPUP_CODES: csv.pipe(z.array(z.string().max(255)).max(200)),
  /** ACD priority added for a customer whose last conversation is unresolved (1 = one minute). @defaultValue 10 */
  UNRESOLVED_PRIORITY: z.coerce.number().int().min(0).max(MAX_PRIORITY).default(10),
  /** ACD priority added for a VIP customer. @defaultValue 20 */
  VIP_PRIORITY: z.coerce.number().int().min(0).max(MAX_PRIORITY).default(20),
  /**
   * Participant attributes recorded as the conversation's context (with Genesys
   * credentials), e.g. `intent,orderNumber`. Their values are personal data.
   */
  CONTEXT_ATTRIBUTES: csv.pipe(
    z
      .array(
        z
          .string()
          .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'attribute names are 1-64 of A-Z a-z 0-9 _ . : -'),
      )
      .max(ATTRIBUTES_MAX, `at most ${ATTRIBUTES_MAX} attributes`),
  ),
  /** Cap on ranked preferred agents (Genesys allows 20 by default). @defaultValue 20 */
  MAX_PREFERRED_AGENTS: z.coerce.number().int().min(1).max(100).default(20),

  /** Message types enqueued from events. @defaultValue WHATSAPP */
  EVENT_MESSAGE_TYPES: csv
    .pipe(z.array(z.string()))
    .transform((list) =>
      list.length === 0 ? ['WHATSAPP'] : list.map((item) => item.toUpperCase()),
    ),
  /**
   * Clock skew allowed on event and Genesys times: a time later than its receipt
   * plus this is capped at the receipt, so a mis-dated event never pins an
   * owner. @defaultValue 300000 (5 minutes)
   */
  MAX_EVENT_SKEW_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000)
    .default(300_000),
  /** Largest accepted events body. @defaultValue 1048576 */
  EVENTS_MAX_BYTES: positiveInt(1_048_576),
  /** Most events in one `/v1/events` request (Genesys sends one per request). @defaultValue 500 */
  EVENTS_MAX_ITEMS: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Delay before a reconcile runs, so Genesys analytics settle. @defaultValue 5000 */
  RECONCILE_DELAY_MS: nonNegativeInt(5000),
  /**
   * Attempts per reconcile job before it is kept as failed; backoff doubles from
   * 2 s, so 15 attempts ride out about 18 hours of CRM outage. @defaultValue 15
   */
  RECONCILE_ATTEMPTS: positiveInt(15),
  /**
   * Jobs one worker runs at once; they share CRM batches (a batch is at most
   * this big). After a CRM outage the whole backlog is taken at once, so each
   * customer's newest conversation is committed in the first round
   * (bench:reconcile:faults: the last owner right 6 s after Salesforce returns
   * at 1024, 12-15 s at 256). @defaultValue 1024
   */
  WORKER_CONCURRENCY: positiveInt(1024),
  /** BullMQ job lock; a crashed worker's job is recovered after this. @defaultValue 30000 */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Per-customer write lock lifetime; a crashed worker blocks its customers this long. @defaultValue 30000 */
  CUSTOMER_LOCK_TTL_MS: z.coerce.number().int().min(500).default(30_000),
  /** How long a CRM write waits to be batched with others. @defaultValue 100 */
  COMMIT_BATCH_WINDOW_MS: nonNegativeInt(100),
  /**
   * While a CRM write is under way, the next batch keeps gathering until it
   * returns, but no change waits longer than this (0 = fixed window). @defaultValue 1000
   */
  COMMIT_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  /** What to do with a customer who has no Contact. @defaultValue history_only */
  UNKNOWN_CUSTOMER: z.enum(['history_only', 'create_contact']).default('history_only'),
  /** Sweep window (minutes, overlapping). @defaultValue 15 */
  SWEEP_WINDOW_MINUTES: positiveInt(15),
  /** How often the sweep runs (minutes). @defaultValue 5 */
  SWEEP_EVERY_MINUTES: positiveInt(5),

  SF_LOGIN_URL: z.url().default('https://login.salesforce.com'),
  SF_CLIENT_ID: optionalString,
  SF_CLIENT_SECRET: optionalString,
  SF_USERNAME: optionalString,
  /** PEM private key for the JWT bearer flow (or SF_PRIVATE_KEY_PATH). */
  SF_PRIVATE_KEY: optionalString,
  SF_PRIVATE_KEY_PATH: optionalString,
  /** @defaultValue 68.0 (Winter '27) */
  SF_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/, 'must look like 68.0')
    .default('68.0'),
  /** Contact checkbox that marks VIPs. @defaultValue Continuity_VIP__c */
  SF_VIP_FIELD: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a field API name')
    .default('Continuity_VIP__c'),
  /**
   * Share of the org's daily API allocation kept for its other integrations:
   * below it, lookups make no Salesforce call on a miss, sweep and backfill
   * pause, reconcile writes go on at full batches. 0 turns the reserve off.
   * @defaultValue 10
   */
  SF_API_RESERVE_PERCENT: z.coerce.number().min(0).max(90).default(10),

  /** Genesys region host (mypurecloud.ie) or region name (eu_west_1). */
  GENESYS_REGION: z.string().default('mypurecloud.com'),
  GENESYS_CLIENT_ID: optionalString,
  GENESYS_CLIENT_SECRET: optionalString,
  /** Use Genesys routing status and queue membership in the policy. @defaultValue true */
  GENESYS_AVAILABILITY: bool(true),
});

export type Env = z.output<typeof EnvSchema>;
