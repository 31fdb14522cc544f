import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PolicyConfig } from '../domain/routing-policy.ts';
import type { OwnerRule } from '../domain/conversation.ts';
import { BridgeError } from '../errors/catalogue.ts';
import { EnvSchema, type Env } from './env.schema.ts';

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
    eventsMaxBytes: number;
    metricsPort: number | undefined;
  };
  readonly redis: { url: string; prefix: string };
  readonly lookup: {
    deadlineMs: number;
    cacheTtlSeconds: number;
    negativeCacheTtlSeconds: number;
    availabilityCacheSeconds: number;
  };
  readonly policy: PolicyConfig;
  readonly reconcile: {
    ownerRule: OwnerRule;
    messageTypes: readonly string[];
    maxEventSkewMs: number;
    delayMs: number;
    attempts: number;
    concurrency: number;
    lockDurationMs: number;
    customerLockTtlMs: number;
    batchWindowMs: number;
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

function readPolicyFile(path: string): z.output<typeof QueuePolicyFile> {
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
      },
    ]),
  );
  const config: Config = {
    env,
    http: {
      port: env.PORT,
      host: env.HOST,
      apiTokens: env.API_TOKENS,
      eventsMaxBytes: env.EVENTS_MAX_BYTES,
      metricsPort: env.METRICS_PORT,
    },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    lookup: {
      deadlineMs: env.LOOKUP_DEADLINE_MS,
      cacheTtlSeconds: env.CACHE_TTL_SECONDS,
      negativeCacheTtlSeconds: env.NEGATIVE_CACHE_TTL_SECONDS,
      availabilityCacheSeconds: env.AVAILABILITY_CACHE_SECONDS,
    },
    policy: {
      defaults: {
        affinityWindowMs: env.AFFINITY_WINDOW_HOURS * HOUR_MS,
        fallbackQueueId: env.FALLBACK_QUEUE_ID,
        vipQueueId: env.VIP_QUEUE_ID,
      },
      perQueue,
      maxPreferredAgents: env.MAX_PREFERRED_AGENTS,
    },
    reconcile: {
      ownerRule: env.OWNER_RULE,
      messageTypes: env.EVENT_MESSAGE_TYPES,
      maxEventSkewMs: env.MAX_EVENT_SKEW_MS,
      delayMs: env.RECONCILE_DELAY_MS,
      attempts: env.RECONCILE_ATTEMPTS,
      concurrency: env.WORKER_CONCURRENCY,
      lockDurationMs: env.WORKER_LOCK_DURATION_MS,
      customerLockTtlMs: env.CUSTOMER_LOCK_TTL_MS,
      batchWindowMs: env.COMMIT_BATCH_WINDOW_MS,
      unknownCustomer: env.UNKNOWN_CUSTOMER,
      sweepWindowMinutes: env.SWEEP_WINDOW_MINUTES,
      sweepEveryMinutes: env.SWEEP_EVERY_MINUTES,
    },
    store: salesforceStore(env),
    genesys: genesys(env),
    logLevel: env.LOG_LEVEL,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
