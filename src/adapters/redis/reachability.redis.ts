import type { Cluster, Redis } from 'ioredis';

export type RedisReachability = 'reachable' | 'unreachable';

/** Socket-level failures: Redis is down or cannot be reached, not a bad command. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const CONNECTION_MESSAGES =
  /Connection is closed|Stream isn't writeable|connect ETIMEDOUT|Reached the max retries/;

/** True when `error` says Redis could not be reached (as opposed to a failed command). */
export function isRedisConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return (
    (typeof code === 'string' && CONNECTION_CODES.has(code)) ||
    CONNECTION_MESSAGES.test(error.message)
  );
}

/**
 * Calls `onChange` once per change of `redis`'s reachability, never once per
 * reconnect attempt: an outage is one "unreachable" (with the first failure's
 * code) and one "reachable" when it heals. ioredis retries on its own; this
 * only reports. Returns a function that stops watching.
 */
export function watchReachability(
  redis: Redis | Cluster,
  onChange: (state: RedisReachability, cause?: string) => void,
): () => void {
  let state: RedisReachability | undefined = redis.status === 'ready' ? 'reachable' : undefined;
  const set = (next: RedisReachability, cause?: string) => {
    if (next === state) return;
    state = next;
    onChange(next, cause);
  };
  const onReady = () => set('reachable');
  const onError = (error: Error) => {
    if (isRedisConnectionError(error)) {
      set('unreachable', (error as Error & { code?: string }).code ?? error.message);
    }
  };
  const onClose = () => {
    if (state === 'reachable') set('unreachable', 'connection closed');
  };
  redis.on('ready', onReady);
  redis.on('error', onError);
  redis.on('close', onClose);
  return () => {
    redis.off('ready', onReady);
    redis.off('error', onError);
    redis.off('close', onClose);
  };
}
