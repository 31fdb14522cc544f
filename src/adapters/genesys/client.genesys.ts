import { setTimeout as delay } from 'node:timers/promises';
import platformClient from 'purecloud-platform-client-v2';
import { BridgeError } from '../../errors/catalogue.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CallRecorder } from '../../observability/metrics.ts';
import { resolveEnvironment } from './region.genesys.ts';
import { RatePause } from './rate-pause.genesys.ts';
import {
  asExtendedResponse,
  errorSummary,
  rateLimitBudget,
  readReset,
  retryDelayMs,
} from './response.genesys.ts';

type ApiClient = typeof platformClient.ApiClient;

/** The SDK API objects the adapters use, all bound to this wrapper's own ApiClient. */
export interface GenesysApis {
  readonly conversations: InstanceType<typeof platformClient.ConversationsApi>;
  readonly analytics: InstanceType<typeof platformClient.AnalyticsApi>;
  readonly users: InstanceType<typeof platformClient.UsersApi>;
  readonly routing: InstanceType<typeof platformClient.RoutingApi>;
}

export interface GenesysClientOptions {
  /** `GENESYS_REGION`: a host (`mypurecloud.ie`) or a region key (`eu_west_1`). */
  readonly region: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly recorder: CallRecorder;
  readonly logger: Logger;
  /** Retries after a 429 before CB_ERR_GENESYS_RATE_LIMITED. @defaultValue 3 */
  readonly maxRetries?: number;
  /** Longest wait honoured for one 429; a longer Retry-After fails at once. @defaultValue 10 000 ms */
  readonly maxRetryWaitMs?: number;
  /** Wait after a 429 that carries neither Retry-After nor inin-ratelimit-reset. @defaultValue 1 000 ms */
  readonly defaultRetryWaitMs?: number;
  /** Log in again this long before `tokenExpiryTime` (at most half the token's life). @defaultValue 60 000 ms */
  readonly tokenRefreshMarginMs?: number;
  /**
   * Requests in flight at once. Worker concurrency is high so CRM writes batch
   * well; this keeps the Genesys side (300 requests/min per token) calm.
   * @defaultValue 8
   */
  readonly maxConcurrent?: number;
  /** Injected in tests. @defaultValue Date.now (the SDK computes `tokenExpiryTime` with Date too) */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Share of the per-token budget (`inin-ratelimit-allowed`) kept free: once a
   * response reports fewer requests left, every request waits for the window's
   * reset (`inin-ratelimit-reset`, at most `maxRetryWaitMs`). @defaultValue 10
   */
  readonly reservePercent?: number;
}

interface Token {
  readonly refreshAt: number;
  readonly generation: number;
}

/**
 * The one door to Genesys Cloud: wraps `purecloud-platform-client-v2` and adds
 * what the SDK lacks (reference §4.2): client-credentials re-login before the
 * token expires and once after a 401, bounded 429 retries honouring
 * `Retry-After` / `inin-ratelimit-reset`, errors from the catalogue, and a
 * metric per HTTP attempt plus the `inin-ratelimit-*` budget.
 *
 * Each wrapper owns a private `ApiClient` (`new platformClient.ApiClientClass()`),
 * so two wrappers (tests, two configs) never share a token or an environment.
 * The module's singleton (`platformClient.ApiClient`, also `ApiClient.instance`)
 * is created at import and never touched here. Still create one wrapper per
 * configuration and process: all callers then share one token, and the per-token
 * limit of 300 requests/min is counted in one place.
 */
export class GenesysClient {
  readonly environment: string;
  readonly apis: GenesysApis;
  private readonly apiClient: ApiClient;
  private readonly options: GenesysClientOptions;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private token: Token | null = null;
  private generation = 0;
  private login: Promise<Token> | null = null;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** A 429 or a budget below the reserve pauses every request, not only one. */
  private readonly pause: RatePause;

  constructor(options: GenesysClientOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.pause = new RatePause(options.recorder, options.logger, this.now, this.sleep);
    this.environment = resolveEnvironment(options.region);
    const ApiClientClass = (platformClient as unknown as { ApiClientClass: new () => ApiClient })
      .ApiClientClass;
    this.apiClient = new ApiClientClass();
    // The SDK reads ~/.genesyscloudjavascript/config at construction and watches it;
    // a change there would reset the environment (Configuration.updateConfigValues
    // calls setEnvironment() with no argument). The bridge is configured from env only.
    this.apiClient.config.live_reload_config = false;
    this.apiClient.setEnvironment(this.environment);
    this.apiClient.setReturnExtendedResponses(true);
    this.apis = {
      conversations: new platformClient.ConversationsApi(this.apiClient),
      analytics: new platformClient.AnalyticsApi(this.apiClient),
      users: new platformClient.UsersApi(this.apiClient),
      routing: new platformClient.RoutingApi(this.apiClient),
    };
  }

  /**
   * Runs one SDK call and returns the response body, or null on 404.
   * `operation` names the call in metrics and logs (use the SDK method name).
   * Throws BridgeError CB_ERR_GENESYS_RATE_LIMITED (429 after the retries) or
   * CB_ERR_GENESYS_UNAVAILABLE (network, timeout, 5xx, any other status); both
   * are transient in the catalogue.
   */
  async request(
    operation: string,
    invoke: (apis: GenesysApis) => Promise<unknown>,
  ): Promise<unknown> {
    const { recorder, logger } = this.options;
    const maxRetries = this.options.maxRetries ?? 3;
    const maxWaitMs = this.options.maxRetryWaitMs ?? 10_000;
    let replayedAfter401 = false;
    let retries = 0;
    let waited = false;
    for (;;) {
      if (!waited) await this.pause.wait();
      waited = false;
      const token = await this.currentToken();
      let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
      await this.acquireSlot();
      try {
        outcome = { ok: true, value: await invoke(this.apis) };
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        this.releaseSlot();
      }
      const response = asExtendedResponse(outcome.ok ? outcome.value : outcome.error);
      if (response) this.recordBudget(response.headers, response.status);
      if (outcome.ok) {
        recorder.call('genesys', operation, 'ok');
        return response ? response.body : outcome.value;
      }
      if (!response) {
        recorder.call('genesys', operation, 'error');
        throw unavailable(operation, 'no response', { cause: safeCause(outcome.error) });
      }
      if (response.status === 404) {
        recorder.call('genesys', operation, 'ok');
        return null;
      }
      recorder.call('genesys', operation, 'error');
      if (response.status === 401 && !replayedAfter401) {
        replayedAfter401 = true;
        if (token.generation === this.generation) this.token = null;
        logger.info({ operation }, 'genesys answered 401; logging in again and replaying once');
        continue;
      }
      if (response.status === 429) {
        const waitMs = retryDelayMs(
          response.headers,
          this.now(),
          this.options.defaultRetryWaitMs ?? 1_000,
        );
        if (retries < maxRetries && waitMs <= maxWaitMs) {
          retries++;
          logger.warn({ operation, waitMs, retry: retries }, 'genesys rate limit (429); waiting');
          // Every request waits, not only this one: no hammering a limited token.
          this.pause.pauseFor(waitMs);
          await this.sleep(waitMs);
          waited = true;
          continue;
        }
        throw new BridgeError('CB_ERR_GENESYS_RATE_LIMITED', `genesys ${operation}: 429 rate limited`, {
          cause: response.body,
          details: { operation, retries, retryAfterMs: waitMs, ...errorSummary(response.body) },
        });
      }
      throw unavailable(operation, `HTTP ${response.status}`, {
        cause: response.body,
        details: { status: response.status, ...errorSummary(response.body) },
      });
    }
  }

  private async acquireSlot(): Promise<void> {
    if (this.inFlight < (this.options.maxConcurrent ?? 8)) {
      this.inFlight++;
      return;
    }
    // The releasing request hands its slot over directly (inFlight unchanged).
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  /** A valid token, logging in when there is none or it is close to expiry. */
  private async currentToken(): Promise<Token> {
    const token = this.token;
    if (token && this.now() < token.refreshAt) return token;
    this.login ??= this.loginOnce().finally(() => {
      this.login = null;
    });
    return this.login;
  }

  private async loginOnce(): Promise<Token> {
    const { recorder, logger, clientId, clientSecret } = this.options;
    const started = this.now();
    let expiry: number;
    try {
      const auth = await this.apiClient.loginClientCredentialsGrant(clientId, clientSecret);
      expiry = auth.tokenExpiryTime;
    } catch (error) {
      recorder.call('genesys', 'login', 'error');
      const status = (error as { response?: { status?: unknown } }).response?.status;
      if (status === 429) {
        throw new BridgeError('CB_ERR_GENESYS_RATE_LIMITED', 'genesys login: 429 rate limited', {
          cause: safeCause(error),
          details: { operation: 'login' },
        });
      }
      throw unavailable('login', typeof status === 'number' ? `HTTP ${status}` : 'no response', {
        cause: safeCause(error),
        details: { status },
      });
    }
    recorder.call('genesys', 'login', 'ok');
    const margin = Math.min(
      this.options.tokenRefreshMarginMs ?? 60_000,
      Math.max(0, (expiry - started) / 2),
    );
    this.generation++;
    this.token = { refreshAt: expiry - margin, generation: this.generation };
    logger.debug({ environment: this.environment, expiresAt: expiry }, 'genesys login');
    return this.token;
  }

  private recordBudget(headers: unknown, status: number): void {
    const budget = rateLimitBudget(headers);
    if (!budget) return;
    this.options.recorder.budget('genesys', budget.remaining, budget.limit);
    const reserve = (budget.limit * (this.options.reservePercent ?? 10)) / 100;
    if (status !== 429 && budget.remaining < reserve) {
      const waitMs = retryDelayMs({ 'inin-ratelimit-reset': readReset(headers) }, this.now(), 1_000);
      this.pause.pauseFor(Math.min(waitMs, this.options.maxRetryWaitMs ?? 10_000));
    }
  }
}

function unavailable(
  operation: string,
  what: string,
  options: { cause?: unknown; details?: Record<string, unknown> },
): BridgeError {
  return new BridgeError('CB_ERR_GENESYS_UNAVAILABLE', `genesys ${operation}: ${what}`, {
    cause: options.cause,
    details: { operation, ...options.details },
  });
}

/**
 * An axios error carries the request config, including the `Authorization`
 * header (Basic client secret on login, Bearer token otherwise). Keep only its
 * code and message so a logged `cause` never leaks a credential.
 */
function safeCause(error: unknown): Error {
  if (typeof error !== 'object' || error === null) return new Error(String(error));
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : 'unknown error';
  return new Error(typeof code === 'string' ? `${code}: ${text}` : text);
}
