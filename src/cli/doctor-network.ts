import { fail, type CheckResult } from './doctor-report.ts';

/**
 * What kind of network failure an error is, or null when it is none (then the
 * service answered, and a refusal is about the credentials). Looks through the
 * `cause` chain: `fetch` wraps the socket error, jsforce the fetch error.
 */
export function networkFailure(error: unknown): string | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    const code = String((e as Error & { code?: unknown }).code ?? '');
    const text = `${code} ${e.message}`;
    if (/ECONNREFUSED/.test(text)) return 'connection refused';
    if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME/.test(text)) return 'DNS: host not found';
    if (e.name === 'TimeoutError' || /ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT/.test(text)) {
      return 'timed out';
    }
    if (/ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_SOCKET/.test(text)) {
      return `network error (${code || 'connection lost'})`;
    }
    const tls =
      /\b(ERR_TLS_\w+|ERR_SSL_\w+|CERT_\w+|UNABLE_TO_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\b/.exec(
        text,
      );
    if (tls) return `TLS: ${tls[1]}`;
    e = e.cause;
  }
  return null;
}

/** The doctor line for a host it could not reach: the network, not the credentials. */
export function unreachable(area: string, host: string, failure: string): CheckResult {
  const fix = failure.startsWith('TLS')
    ? `the certificate of ${host} is not trusted from here: behind an inspecting proxy, give its CA to Node with NODE_EXTRA_CA_CERTS; check the system clock`
    : `check DNS, the firewall and any proxy (HTTPS_PROXY) between this machine and ${host}; the credentials were not tried`;
  return fail(
    area,
    `cannot reach ${host}: ${failure} (a network problem, not the credentials)`,
    fix,
  );
}
