import { Connection, type HttpRequest } from 'jsforce';
import type { z } from 'zod';
import type { Config } from '../../config/config.ts';
import { BridgeError } from '../../errors/catalogue.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CallRecorder } from '../../observability/metrics.ts';
import { loginOrigin, requestToken, tokenClient, type SalesforceToken } from './auth.salesforce.ts';

export type SalesforceStoreConfig = Extract<Config['store'], { kind: 'salesforce' }>;

/** Upper bound for one HTTP exchange (jsforce's own default is 30 minutes). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** More session refreshes than this within the window means a 401 loop, not an expiry. */
const MAX_REFRESHES = 3;
const REFRESH_WINDOW_MS = 60_000;

/**
 * jsforce retries GET/PUT/DELETE on 420/429/5xx and network errors for up to
 * 15.5 s (reference §1.3); it never retries POST/PATCH. The bridge turns that
 * off for every request: the lookup has a 2 s deadline and a cache/fallback, and
 * the worker retries through BullMQ with backoff, so a silent 15 s in-process
 * retry would only hold a worker slot and hide the outage from metrics. (It also
 * keeps a nock 503 from making a 15 s test.)
 */
const REQUEST_OPTIONS = { retry: { maxRetries: 0 }, timeout: REQUEST_TIMEOUT_MS } as const;

export interface SalesforceClient {
  /** `/services/data/vXX.X`, the root of every REST URL the adapter builds. */
  readonly dataPath: string;
  /**
   * One REST call, counted in metrics under `operation`, with the
   * `Sforce-Limit-Info` budget recorded and the body parsed by `schema`.
   * jsforce cannot cancel its fetch from outside, so `signal` only releases the
   * caller early; the request itself ends at its timeout.
   */
  request<T>(
    operation: string,
    request: HttpRequest,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
  ): Promise<T>;
  close(): void;
}

export interface SalesforceClientOptions {
  readonly config: SalesforceStoreConfig;
  readonly recorder: CallRecorder;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Told the daily allocation each answer reports (`Sforce-Limit-Info`). */
  readonly onBudget?: (remaining: number, limit: number) => void;
}

/** Rejects when `signal` aborts, without leaving the abandoned promise unhandled. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * A jsforce Connection behind a small interface. The session is opened lazily
 * on the first call (so building the store never touches the network) by
 * running the configured grant — JWT bearer or client credentials — and then
 * `new Connection({ instanceUrl, accessToken })`, never `conn.authorize()`,
 * which throws on token responses without `id`. A `refreshFn` re-runs the grant,
 * so a 401 INVALID_SESSION_ID refreshes and jsforce replays the request.
 */
export function createSalesforceClient(options: SalesforceClientOptions): SalesforceClient {
  const { config, recorder } = options;
  const logger = options.logger.child({ component: 'salesforce' });
  const now = options.now ?? Date.now;
  const oauth2 = tokenClient(config.auth, config.loginUrl);
  const refreshes: number[] = [];
  let session: Promise<Connection> | undefined;
  let closed = false;

  const grant = async (): Promise<SalesforceToken> => {
    try {
      const token = await requestToken(oauth2, config.auth, config.loginUrl, now());
      recorder.call('salesforce', 'oauth_token', 'ok');
      return token;
    } catch (error) {
      recorder.call('salesforce', 'oauth_token', 'error');
      logger.warn({ err: error, flow: config.auth.flow }, 'salesforce token request failed');
      throw error;
    }
  };

  const refreshFn = (conn: Connection, callback: (err: Error | null, token?: string) => void) => {
    const at = now();
    while (refreshes.length > 0 && (refreshes[0] ?? 0) < at - REFRESH_WINDOW_MS) refreshes.shift();
    if (refreshes.length >= MAX_REFRESHES) {
      callback(new Error(`more than ${MAX_REFRESHES} session refreshes in a minute; not retrying`));
      return;
    }
    refreshes.push(at);
    grant().then(
      (token) => {
        logger.info({ flow: config.auth.flow }, 'salesforce session refreshed');
        conn.instanceUrl = token.instance_url;
        callback(null, token.access_token);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  };

  const open = async (): Promise<Connection> => {
    const token = await grant();
    logger.info(
      { flow: config.auth.flow, instanceUrl: token.instance_url },
      'salesforce session opened',
    );
    return new Connection({
      loginUrl: loginOrigin(config.loginUrl),
      instanceUrl: token.instance_url,
      accessToken: token.access_token,
      version: config.apiVersion,
      callOptions: { client: 'continuity-bridge' },
      refreshFn,
    });
  };

  const connection = (): Promise<Connection> => {
    session ??= open().catch((error: unknown) => {
      session = undefined; // the next call tries the grant again
      throw error;
    });
    return session;
  };

  const recordBudget = (conn: Connection) => {
    const usage = conn.limitInfo.apiUsage;
    if (!usage) return;
    if (options.onBudget) options.onBudget(usage.limit - usage.used, usage.limit);
    else recorder.budget('salesforce', usage.limit - usage.used, usage.limit);
  };

  return {
    dataPath: `/services/data/v${config.apiVersion}`,
    async request<T>(
      operation: string,
      request: HttpRequest,
      schema: z.ZodType<T>,
      signal?: AbortSignal,
    ) {
      if (closed) throw new BridgeError('CB_ERR_CRM_UNAVAILABLE', 'Salesforce client is closed');
      signal?.throwIfAborted();
      const conn = await abortable(connection(), signal);
      let body: unknown;
      try {
        body = await abortable(
          Promise.resolve(conn.request<unknown>(request, REQUEST_OPTIONS)),
          signal,
        );
        recorder.call('salesforce', operation, 'ok');
      } catch (error) {
        recorder.call('salesforce', operation, 'error');
        throw error;
      } finally {
        recordBudget(conn);
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new BridgeError(
          'CB_ERR_INTERNAL',
          `Salesforce ${operation} response has an unexpected shape at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
        );
      }
      return parsed.data;
    },
    close() {
      closed = true;
      session = undefined;
    },
  };
}
