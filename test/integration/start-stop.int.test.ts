import { afterEach, describe, expect, it } from 'vitest';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import { acwBody, envelope, postJson, testEnv } from '../support/bridge.ts';
import { portOpen, spawnBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { freePort, startRedis, type TestRedis } from '../support/redis-server.ts';

/*
 * Starting and stopping as a service manager does: Redis down at start,
 * SIGTERM to `npm start`'s PID, Redis gone at shutdown.
 */

let running: BridgeProcess[] = [];
let redises: TestRedis[] = [];
afterEach(async () => {
  for (const process of running) process.kill();
  for (const redis of redises) await redis.stop();
  running = [];
  redises = [];
});

async function serveOn(env: Record<string, string>, npm = false): Promise<BridgeProcess> {
  const bridge = spawnBridge(env, npm ? { file: 'npm', args: ['start', '--silent'] } : undefined);
  running.push(bridge);
  await expect.poll(() => bridge.output().includes('listening'), { timeout: 30_000 }).toBe(true);
  return bridge;
}

const lookup = (url: string, address: string) =>
  postJson(`${url}/v1/routing/lookup`, { address }).then((res) => res.json());

describe('start with Redis down', () => {
  it('listens, answers lookups, says why it is not ready once, and heals when Redis comes', async () => {
    const redisPort = await freePort();
    const port = await freePort();
    const env = testEnv(`redis://127.0.0.1:${redisPort}`, {
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    const bridge = await serveOn(env);
    const url = `http://127.0.0.1:${port}`;

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'not_ready',
      reasons: { redis: 'unreachable' },
    });
    expect(await lookup(url, '+5511987650001')).toMatchObject({
      action: 'fallback',
      reason: 'no_history',
    });
    // Several reconnect attempts later: one line for the outage, no retry noise.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(bridge.lines('Redis unreachable')).toHaveLength(1);
    expect(bridge.lines('worker error')).toHaveLength(0);
    expect(bridge.output()).not.toContain('stack');

    redises.push(await startRedis({ port: redisPort }));
    await expect
      .poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 15_000 })
      .toBe(200);
    expect(bridge.lines('Redis reachable')).toHaveLength(1);
    // The worker connected in the background: an event is reconciled.
    const event = envelope(
      acwBody({ conversationId: 'late-redis-1', addressFrom: '+5511987650001', userId: 'agent-7' }),
    );
    expect((await postJson(`${url}/v1/events`, [event])).status).toBe(202);
    const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
    await expect
      .poll(
        async () =>
          (await store.findCustomer({ kind: 'phone', value: '5511987650001' }))?.current?.agentId,
        { timeout: 15_000 },
      )
      .toBe('agent-7');
    await store.close();

    bridge.child.kill('SIGINT'); // Ctrl-C
    expect(await bridge.exited).toBe(0);
  }, 90_000);
});

describe('a port already in use', () => {
  it('says so with a hint to PORT, and prints no generated token', async () => {
    const redis = await startRedis();
    redises.push(redis);
    const port = await freePort();
    await serveOn(testEnv(redis.url, { PORT: String(port), LOG_LEVEL: 'info' }));
    const env = testEnv(redis.url, { PORT: String(port), LOG_LEVEL: 'info' });
    delete env.API_TOKENS;
    const second = spawnBridge(env);
    running.push(second);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/port \d+ on 127\.0\.0\.1 is already in use.*set PORT/);
    expect(second.output()).not.toContain('generated a token');
  }, 90_000);
});

describe('stop', () => {
  it('SIGTERM to the PID of npm start stops node and frees the port', async () => {
    const redis = await startRedis();
    redises.push(redis);
    const port = await freePort();
    const npm = await serveOn(testEnv(redis.url, { PORT: String(port), LOG_LEVEL: 'info' }), true);
    expect(await portOpen(port)).toBe(true);
    npm.child.kill('SIGTERM');
    await npm.exited;
    await expect.poll(() => portOpen(port), { timeout: 15_000 }).toBe(false);
    expect(npm.output()).toContain('stopped');
  }, 90_000);

  it('a SIGKILLed npm start does not leave node holding the port', async () => {
    const redis = await startRedis();
    redises.push(redis);
    const port = await freePort();
    const npm = await serveOn(testEnv(redis.url, { PORT: String(port), LOG_LEVEL: 'info' }), true);
    npm.child.kill('SIGKILL');
    await npm.exited;
    await expect.poll(() => portOpen(port), { timeout: 15_000 }).toBe(false);
  }, 90_000);

  it('is bounded by SHUTDOWN_TIMEOUT_MS when Redis is gone with jobs in flight', async () => {
    const redis = await startRedis();
    redises.push(redis);
    const port = await freePort();
    const env = testEnv(redis.url, {
      PORT: String(port),
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: '3000',
      // Jobs sit in the CRM batch, active, when Redis dies.
      COMMIT_BATCH_WINDOW_MS: '20000',
    });
    const bridge = await serveOn(env);
    const events = Array.from({ length: 5 }, (_, i) =>
      envelope(acwBody({ conversationId: `gone-${i}`, addressFrom: `+551198765100${i}` })),
    );
    expect((await postJson(`http://127.0.0.1:${port}/v1/events`, events)).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await redis.kill();
    const started = Date.now();
    bridge.child.kill('SIGTERM');
    const code = await bridge.exited;
    // Within the timeout (plus process exit); whether it finished or was cut, it ended.
    expect(Date.now() - started).toBeLessThan(3000 + 2000);
    expect([0, 1]).toContain(code);
  }, 90_000);
});
