import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import { acwBody, envelope, postJson, testEnv } from '../support/bridge.ts';
import { freePort, startRedis, type TestRedis } from '../support/redis-server.ts';

const BIN = fileURLToPath(new URL('../../bin/continuity-bridge.js', import.meta.url));
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe('graceful shutdown under load', () => {
  it('on SIGTERM finishes accepted requests and in-flight jobs, then exits 0', async () => {
    const port = await freePort();
    // Jobs wait 1.5 s in the CRM batch, so SIGTERM lands while they are active.
    const env = testEnv(redis.url, {
      PORT: String(port),
      COMMIT_BATCH_WINDOW_MS: '1500',
      LOG_LEVEL: 'info',
    });
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    await expect.poll(() => output.includes('listening'), { timeout: 20_000 }).toBe(true);
    const url = `http://127.0.0.1:${port}`;

    const phone = (i: number) => `+1415558${String(i).padStart(4, '0')}`;
    const events = Array.from({ length: 40 }, (_, i) =>
      envelope(
        acwBody({
          conversationId: `shutdown-${i}`,
          addressFrom: phone(i),
          ani: phone(i),
          userId: `agent-${i}`,
        }),
      ),
    );
    expect((await postJson(`${url}/v1/events`, events)).status).toBe(202);

    const queue = new Queue('reconcile', {
      connection: new Redis(redis.url),
      prefix: env.REDIS_PREFIX,
    });
    await expect
      .poll(async () => (await queue.getJobCounts('active')).active, { timeout: 10_000 })
      .toBeGreaterThan(0);

    const lookups = Array.from({ length: 200 }, (_, i) =>
      postJson(`${url}/v1/routing/lookup`, { address: phone(i % 40) }).then(
        (res) => `status ${res.status}`,
        (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    const outcomes = await Promise.all(lookups);
    const code = await exited;

    expect(code).toBe(0);
    expect(output).toContain('shutting down');
    // Requests under way at SIGTERM are all answered: none reset, none failed.
    for (const outcome of outcomes) expect(outcome).toBe('status 200');
    // The jobs active at SIGTERM were finished and written, none left behind.
    expect(await queue.getJobCounts('active', 'failed', 'waiting', 'delayed')).toEqual({
      active: 0,
      failed: 0,
      waiting: 0,
      delayed: 0,
    });
    const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
    for (let i = 0; i < 40; i++) {
      expect(
        (await store.findCustomer({ kind: 'phone', value: phone(i).slice(1) }))?.current?.agentId,
      ).toBe(`agent-${i}`);
    }
    await store.close();
    await queue.close();
  }, 60_000);
});
