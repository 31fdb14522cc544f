import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';
import { selfSignedCertificate } from '../support/certificates.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import { spawnBridge } from '../support/bridge-process.ts';

/*
 * A managed Redis as operators get it: TLS only (no plain port) with a
 * certificate the bridge must verify against REDIS_TLS_CA_PATH, and an ACL
 * user with a password, the default user allowed nothing but PING. A user
 * that can PING but not touch the bridge's keys is not ready either.
 */

const QUEUE = '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec';
const ADDRESS = '+5511987650042';
let dir: string;
let ca: string;
let redis: TestRedis;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-redis-tls-'));
  const certificate = selfSignedCertificate(dir, 'redis');
  ca = certificate.cert;
  redis = await startRedis({
    tls: certificate,
    // One argv entry per ACL token: redis-server joins them into a config line.
    args: [
      ...['--user', 'default', 'on', 'nopass', '-@all', '+ping'],
      ...['--user', 'bridge', 'on', '>s3cret', '~*', '&*', '+@all'],
      ...['--user', 'elsewhere', 'on', '>s3cret', '~other:*', '&*', '+@all'],
      ...['--user', 'noinfo', 'on', '>s3cret', '~*', '&*', '+@all', '-info'],
    ],
  });
}, 30_000);
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const bridgeUrl = (credentials: string) =>
  redis.url.replace('rediss://', `rediss://${credentials}`);

async function running(env: Record<string, string>): Promise<{ bridge: Bridge; app: RunningApp }> {
  const bridge = await startBridge(env);
  return { bridge, app: await listen(bridge.app) };
}

describe('on a TLS-only Redis with ACL users', () => {
  it('verifies the server against REDIS_TLS_CA_PATH, logs in as its ACL user, and reconciles', async () => {
    const { bridge, app } = await running(
      testEnv(bridgeUrl('bridge:s3cret@'), { REDIS_TLS_CA_PATH: ca }),
    );
    try {
      await expect
        .poll(async () => (await fetch(`${app.url}/readyz`)).status, { timeout: 10_000 })
        .toBe(200);
      const response = await postJson(
        `${app.url}/v1/events`,
        envelope(
          acwBody({
            conversationId: 'tls-1',
            ani: ADDRESS,
            addressFrom: ADDRESS,
            userId: 'agent-tls',
          }),
        ),
      );
      expect(response.status).toBe(202);
      await expect
        .poll(
          async () =>
            (
              await postJson(`${app.url}/v1/routing/lookup`, { address: ADDRESS, queueId: QUEUE })
            ).json(),
          { timeout: 10_000, interval: 100 },
        )
        .toMatchObject({ found: true, agentId: 'agent-tls', lastConversationId: 'tls-1' });
    } finally {
      await app.close();
      await bridge.close();
    }
  });

  it.each([
    ['a server certificate it cannot verify (no REDIS_TLS_CA_PATH)', 'bridge:s3cret@', false],
    ['a wrong ACL password', 'bridge:wrong@', true],
    ['an ACL user whose key pattern does not cover the prefix', 'elsewhere:s3cret@', true],
  ])('refuses events with 503 and is not ready with %s', async (_case, credentials, trustCa) => {
    const { bridge, app } = await running(
      testEnv(bridgeUrl(credentials), trustCa ? { REDIS_TLS_CA_PATH: ca } : {}),
    );
    try {
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ reasons: { redis: expect.any(String) } });
      const response = await postJson(
        `${app.url}/v1/events`,
        envelope(acwBody({ conversationId: 'tls-refused', ani: ADDRESS, addressFrom: ADDRESS })),
      );
      expect(response.status).toBe(503);
    } finally {
      await app.close();
      await bridge.close();
    }
  });

  it.each([
    ['may not run INFO (BullMQ needs it)', 'noinfo:s3cret@'],
    ['may only PING (the default user here)', ''],
  ])(
    'stops at start, naming the ACL, when the user %s, instead of running without a worker',
    async (_what, credentials) => {
      const bridge = spawnBridge(
        testEnv(bridgeUrl(credentials), { REDIS_TLS_CA_PATH: ca, LOG_LEVEL: 'info', PORT: '0' }),
      );
      try {
        const code = await Promise.race([
          bridge.exited,
          new Promise<'running'>((resolve) => setTimeout(resolve, 20_000, 'running')),
        ]);
        expect(code).toBe(1);
        expect(bridge.output()).toContain("refused a command to the bridge's ACL user");
        expect(bridge.output()).toContain('INFO included');
      } finally {
        bridge.kill();
      }
    },
    30_000,
  );
});
