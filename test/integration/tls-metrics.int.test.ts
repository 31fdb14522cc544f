import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import type { Bridge } from '../../src/main.ts';
import { startBridge, TEST_TOKEN, testEnv } from '../support/bridge.ts';
import { selfSignedCertificate } from '../support/certificates.ts';
import { freePort, startRedis, type TestRedis } from '../support/redis-server.ts';

/** GET over HTTPS trusting `ca`; resolves with the status, body and the served certificate's CN. */
function httpsGet(
  port: number,
  path: string,
  ca: string[],
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; servedCn: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca, headers, agent: false }, (res) => {
      const servedCn = (res.socket as TLSSocket).getPeerCertificate().subject.CN as string;
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, servedCn }));
    });
    req.on('error', reject);
    req.end();
  });
}

let redis: TestRedis;
let dir: string;
let bridge: Bridge;
let port: number;
let live: { cert: string; key: string };
let first: { cert: string; key: string };
let second: { cert: string; key: string };
let third: { cert: string; key: string };
const cas = () => [first, second, third].map((c) => readFileSync(c.cert, 'utf8'));

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'cb-tls-'));
  [first, second, third] = ['first', 'second', 'third'].map((name) =>
    selfSignedCertificate(dir, name),
  ) as [typeof first, typeof first, typeof first];
  live = { cert: join(dir, 'live.crt'), key: join(dir, 'live.key') };
  copyFileSync(first.cert, live.cert);
  copyFileSync(first.key, live.key);
  bridge = await startBridge(
    testEnv(redis.url, { TLS_CERT_FILE: live.cert, TLS_KEY_FILE: live.key }),
    {},
    { web: true, worker: false },
  );
  port = await bridge.listen();
});
afterAll(async () => {
  await bridge?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS on the API port', () => {
  it('serves the API over TLS and refuses plain HTTP', async () => {
    const health = await httpsGet(port, '/healthz', cas());
    expect(health).toMatchObject({ status: 200, servedCn: 'first' });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('reloads the certificate on SIGHUP (reloadTls) and on a change of its files', async () => {
    copyFileSync(second.key, live.key);
    copyFileSync(second.cert, live.cert);
    bridge.reloadTls();
    expect((await httpsGet(port, '/healthz', cas())).servedCn).toBe('second');

    copyFileSync(third.key, live.key);
    copyFileSync(third.cert, live.cert);
    await expect
      .poll(async () => (await httpsGet(port, '/healthz', cas())).servedCn, { timeout: 15_000 })
      .toBe('third');
  }, 30_000);

  it('keeps serving the current certificate when the new files do not match', async () => {
    writeFileSync(live.cert, readFileSync(first.cert));
    writeFileSync(live.key, readFileSync(second.key));
    bridge.reloadTls();
    expect(await httpsGet(port, '/healthz', cas())).toMatchObject({
      status: 200,
      servedCn: 'third',
    });
    copyFileSync(third.key, live.key);
    copyFileSync(third.cert, live.cert);
  });

  it('refuses a certificate without its key at start-up, naming the variable', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: live.cert })).toThrow(/TLS_KEY_FILE: required/);
    expect(() =>
      loadConfig({ TLS_CERT_FILE: join(dir, 'missing.crt'), TLS_KEY_FILE: live.key }),
    ).toThrow(/TLS_CERT_FILE: cannot read/);
  });
});

describe('/metrics', () => {
  it('needs the API token on the API port; health and readiness stay open', async () => {
    expect((await httpsGet(port, '/metrics', cas())).status).toBe(401);
    const scraped = await httpsGet(port, '/metrics', cas(), {
      authorization: `Bearer ${TEST_TOKEN}`,
    });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('continuity_');
    expect((await httpsGet(port, '/readyz', cas())).status).toBe(200);
  });

  it('is served open on METRICS_PORT, for a private network', async () => {
    const opsPort = await bridge.listenOps(await freePort());
    const res = await fetch(`http://127.0.0.1:${opsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('continuity_');
  });
});
