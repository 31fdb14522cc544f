/**
 * Reading what the SDK hands back once `setReturnExtendedResponses(true)` is
 * set (ApiClient.callApi, v262): every resolution and every HTTP rejection is
 * `{status, statusText, headers, body, text, error}`; a rejection without an
 * HTTP response (DNS, reset, axios timeout) is the raw axios error instead.
 */
export interface ExtendedResponse {
  readonly status: number;
  readonly headers: unknown;
  readonly body: unknown;
}

export function asExtendedResponse(value: unknown): ExtendedResponse | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Partial<Record<keyof ExtendedResponse, unknown>>;
  if (typeof candidate.status !== 'number' || !('body' in candidate)) return null;
  return { status: candidate.status, headers: candidate.headers, body: candidate.body };
}

/** Case-insensitive header read from axios' `AxiosHeaders` or a plain object. */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const getter = (headers as { get?: unknown }).get;
  let value: unknown;
  if (typeof getter === 'function') {
    value = (getter as (key: string) => unknown).call(headers, name);
  } else {
    const wanted = name.toLowerCase();
    const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === wanted);
    value = entry?.[1];
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/**
 * How long a 429 asks us to wait, in ms: `Retry-After` (seconds, or an
 * HTTP date), else `inin-ratelimit-reset` (seconds, reference §4.8), else
 * `fallbackMs` when Genesys sent neither.
 */
export function retryDelayMs(headers: unknown, now: number, fallbackMs: number): number {
  const retryAfter = readHeader(headers, 'retry-after');
  const retrySeconds = seconds(retryAfter);
  if (retrySeconds !== undefined) return Math.ceil(retrySeconds * 1000);
  if (retryAfter !== undefined) {
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = seconds(readHeader(headers, 'inin-ratelimit-reset'));
  if (reset !== undefined) return Math.ceil(reset * 1000);
  return fallbackMs;
}

/** `inin-ratelimit-reset` as sent (seconds until the window resets), or undefined. */
export function readReset(headers: unknown): string | undefined {
  return readHeader(headers, 'inin-ratelimit-reset');
}

/**
 * The per-token budget from `inin-ratelimit-allowed` and `inin-ratelimit-count`
 * (requests used in the current window), or null when a header is missing.
 */
export function rateLimitBudget(headers: unknown): { remaining: number; limit: number } | null {
  const limit = seconds(readHeader(headers, 'inin-ratelimit-allowed'));
  const used = seconds(readHeader(headers, 'inin-ratelimit-count'));
  if (limit === undefined || used === undefined) return null;
  return { remaining: Math.max(0, limit - used), limit };
}

/** The `{message, code, contextId}` of a Genesys error body (ErrorBody), when present. */
export function errorSummary(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return {};
  const { message, code, contextId } = body as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries({ message, code, contextId }).filter(([, value]) => typeof value === 'string'),
  );
}
