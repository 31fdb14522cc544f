import type { Palette } from './cli-io.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of the doctor's report; `fix` says what to do about a warn or fail. */
export interface CheckResult {
  readonly status: CheckStatus;
  readonly area: string;
  readonly message: string;
  readonly fix?: string;
}

export const ok = (area: string, message: string): CheckResult => ({ status: 'ok', area, message });
export const warn = (area: string, message: string, fix?: string): CheckResult => ({
  status: 'warn',
  area,
  message,
  ...(fix !== undefined && { fix }),
});
export const fail = (area: string, message: string, fix?: string): CheckResult => ({
  status: 'fail',
  area,
  message,
  ...(fix !== undefined && { fix }),
});

const MARK: Record<CheckStatus, string> = { ok: '✔', warn: '⚠', fail: '✖' };

export function formatCheck(result: CheckResult, colours: Palette): string {
  const paint =
    result.status === 'ok'
      ? colours.green
      : result.status === 'warn'
        ? colours.yellow
        : colours.red;
  const head = `${paint(MARK[result.status])} ${colours.bold(result.area)}: ${result.message}`;
  return result.fix ? `${head}\n    ${colours.dim(`fix: ${result.fix}`)}` : head;
}

export function summary(results: readonly CheckResult[]): string {
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(results.length, 'check')}: ${count('ok')} passed, ${plural(count('warn'), 'warning')}, ${count('fail')} failed`;
}

/** Above this much difference between clocks, doctor warns. */
export const MAX_SKEW_MS = 2000;

/**
 * How far this machine's clock is ahead (+) of a server's, from an HTTP `Date`
 * header (1 s resolution) read between `sentAt` and `receivedAt`; null
 * without a usable header. `uncertaintyMs` covers the round trip and rounding.
 */
export function skewFromDateHeader(
  date: string | null | undefined,
  sentAt: number,
  receivedAt: number,
): { skewMs: number; uncertaintyMs: number } | null {
  const server = Date.parse(date ?? '');
  if (!Number.isFinite(server)) return null;
  const local = (sentAt + receivedAt) / 2;
  return {
    skewMs: local - (server + 500),
    uncertaintyMs: 500 + (receivedAt - sentAt) / 2,
  };
}

/** A clock check: warn when the clocks differ by more than MAX_SKEW_MS beyond what can be measured. */
export function clockCheck(
  area: string,
  against: string,
  measured: { skewMs: number; uncertaintyMs: number } | null,
): CheckResult {
  if (!measured) return warn(area, `could not read ${against}'s time (no Date header)`);
  const { skewMs, uncertaintyMs } = measured;
  const seconds = (Math.abs(skewMs) / 1000).toFixed(1);
  if (Math.abs(skewMs) <= MAX_SKEW_MS + uncertaintyMs) {
    return ok(area, `clock within ${MAX_SKEW_MS / 1000} s of ${against} (${seconds} s measured)`);
  }
  return warn(
    area,
    `this machine's clock is ${seconds} s ${skewMs > 0 ? 'ahead of' : 'behind'} ${against}`,
    'sync the clock (NTP, chrony or systemd-timesyncd): ownership ages and the affinity window compare Genesys times with this clock, and Salesforce rejects JWTs from a skewed clock',
  );
}
