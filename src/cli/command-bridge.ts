import { loadConfig, type Config } from '../config/config.ts';
import { createBridge, type Bridge, type BridgeOverrides } from '../main.ts';
import { createLogger } from '../observability/logger.ts';
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

/**
 * The bridge as a one-shot command needs it: the same composition root the
 * server uses (so the CLI answers exactly as HTTP does) with neither the HTTP
 * listener nor the worker started. The caller closes it.
 */
export async function openCommandBridge(
  env: NodeJS.ProcessEnv,
  io: CliIo,
  overrides: BridgeOverrides = {},
  config: Config = loadConfig(env),
): Promise<Bridge> {
  return createBridge(
    config,
    { logger: commandLogger(config, env, io), ...overrides },
    { web: false, worker: false },
  );
}

/** Throws a readable error when the bridge could not connect to Redis (the queue lives there). */
export function requireRedis(bridge: Bridge): void {
  if (bridge.redis.producer.status === 'ready') return;
  throw new Error(
    `Redis at ${redactUrl(bridge.config.redis.url)} is not reachable (check REDIS_URL; "continuity-bridge doctor" tells more)`,
  );
}

/** Runs `body` with an open bridge and always closes it. */
export async function withCommandBridge<T>(
  env: NodeJS.ProcessEnv,
  io: CliIo,
  body: (bridge: Bridge) => Promise<T>,
  config?: Config,
): Promise<T> {
  const bridge = await openCommandBridge(env, io, {}, config);
  try {
    return await body(bridge);
  } finally {
    await bridge.close();
  }
}
