/** One HTTP answer as `doctor` needs it: body parsed when JSON, and when it was sent and received (clock skew). */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly sentAt: number;
  readonly receivedAt: number;
}

/** Checks never hang the doctor: each call gives up after this long. */
export const DOCTOR_TIMEOUT_MS = 15_000;

export async function fetchAnswer(url: string, init: RequestInit = {}): Promise<Answer> {
  const sentAt = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(DOCTOR_TIMEOUT_MS) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the message
  }
  return {
    status: response.status,
    headers: response.headers,
    body,
    sentAt,
    receivedAt: Date.now(),
  };
}
