import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import { doctor } from '../../src/cli/doctor.command.ts';
import type { Bridge } from '../../src/main.ts';
import { captureIo } from '../cli/cli-harness.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { startSentinelGroup, until, type TestSentinelGroup } from '../support/redis-topology.ts';

/*
 * The bridge on a real Sentinel group (a master with two replicas, three
 * sentinels). The master is SIGKILLed while events and lookups flow:
 * every event answered 202 is reconciled, every customer ends with the owner
 * of their newest conversation, lookups answer 200 throughout, and events are
 * accepted again once the sentinels promoted a replica (the other one keeps
 * confirming writes, so WAIT is satisfied again).
 */

let group: TestSentinelGroup;
let env: Record<string, string>;
let bridge: Bridge;
let app: RunningApp;

const QUEUE = '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec';
const CUSTOMERS = 12;
const phoneOf = (i: number) => `+1415558${String(i).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  group = await startSentinelGroup();
  env = testEnv('redis://127.0.0.1:1', {
    REDIS_SENTINELS: group.seeds,
    REDIS_SENTINEL_MASTER: group.masterName,
    // Default REDIS_WAIT_REPLICAS (auto = 1 on Sentinel); a short wait so refusals are quick.
    REDIS_WAIT_TIMEOUT_MS: '300',
    // Jobs and customer locks of the dead master's era are taken over quickly.
    WORKER_LOCK_DURATION_MS: '2000',
    CUSTOMER_LOCK_TTL_MS: '2000',
  });
  bridge = await startBridge(env);
  app = await listen(bridge.app);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await bridge?.close();
  await group?.stop();
});

interface Delivery {
  readonly customer: number;
  readonly conversationId: string;
  readonly agentId: string;
  readonly eventTime: number;
}

describe('on Sentinel, with the master SIGKILLed while events flow', () => {
  it('loses nothing acknowledged, ends with the right owners, and keeps answering lookups', async () => {
    const base = Date.now() - 10 * 60_000;
    // Three conversations per customer, in time order; the newest must win.
    const deliveries: Delivery[] = [];
    for (let round = 0; round < 3; round++)
      for (let customer = 0; customer < CUSTOMERS; customer++)
        deliveries.push({
          customer,
          conversationId: `sentinel-${customer}-${round}`,
          agentId: `agent-${customer}-${round}`,
          eventTime: base + round * 60_000 + customer,
        });

    const acknowledged: Delivery[] = [];
    const refusals: number[] = [];
    let lastRefusal = '';
    let acceptedAfterFailover = 0;
    let failedOver = false;
    const lookupStatuses = new Map<number, number>();
    let lookingUp = true;

    // Lookups all along, one every 50 ms, each must answer 200.
    const lookups = (async () => {
      let i = 0;
      while (lookingUp) {
        const response = await postJson(`${app.url}/v1/routing/lookup`, {
          address: phoneOf(i++ % CUSTOMERS),
          queueId: QUEUE,
        });
        await response.arrayBuffer();
        lookupStatuses.set(response.status, (lookupStatuses.get(response.status) ?? 0) + 1);
        await sleep(50);
      }
    })();

    // The sender: each delivery is retried until 202, as EventBridge does.
    const sender = (async () => {
      for (const delivery of deliveries) {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const response = await postJson(
            `${app.url}/v1/events`,
            envelope(
              acwBody({
                conversationId: delivery.conversationId,
                addressFrom: phoneOf(delivery.customer),
                ani: phoneOf(delivery.customer),
                userId: delivery.agentId,
                eventTime: delivery.eventTime,
              }),
            ),
          );
          if (response.status === 202) {
            await response.arrayBuffer();
            acknowledged.push(delivery);
            if (failedOver) acceptedAfterFailover += 1;
            break;
          }
          expect(response.status).toBe(503);
          refusals.push(Date.now());
          lastRefusal = String(((await response.json()) as { code?: string }).code);
          if (Date.now() > deadline)
            throw new Error(`${delivery.conversationId} never accepted (last: ${lastRefusal})`);
          await sleep(100);
        }
        await sleep(40);
      }
    })();

    // Kill the master once a third of the deliveries are acknowledged.
    await until(async () => acknowledged.length >= deliveries.length / 3, 20_000, 'first events');
    const firstMaster = await group.masterPort();
    const master = group.servers.find((server) => server.port === firstMaster)!;
    await master.kill();
    await until(async () => (await group.masterPort()) !== firstMaster, 30_000, 'the failover');
    failedOver = true;
    // A supervisor restarts the dead server; the sentinels make it the new master's replica.
    await master.restart();

    await sender;
    lookingUp = false;
    await lookups;

    expect(acknowledged).toHaveLength(deliveries.length);
    expect(refusals.length).toBeGreaterThan(0); // the outage was real, and refused, not lost
    expect(acceptedAfterFailover).toBeGreaterThan(0);
    expect([...lookupStatuses.keys()]).toEqual([200]);
    expect(lookupStatuses.get(200)).toBeGreaterThan(20);

    // Every acknowledged event is reconciled: one history row per conversation, the newest owner.
    const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
    try {
      await expect
        .poll(
          async () => {
            let right = 0;
            for (let customer = 0; customer < CUSTOMERS; customer++) {
              const record = await store.findCustomer({
                kind: 'phone',
                value: phoneOf(customer).slice(1),
              });
              const ids = new Set(record?.recent.map((row) => row.conversationId));
              const all = [0, 1, 2].every((round) => ids.has(`sentinel-${customer}-${round}`));
              if (all && record?.current?.agentId === `agent-${customer}-2`) right += 1;
            }
            return right;
          },
          { timeout: 45_000, interval: 500 },
        )
        .toBe(CUSTOMERS);
    } finally {
      await store.close();
    }
    expect(await bridge.reconcile.queue.bull.getFailedCount()).toBe(0);
  }, 150_000);

  it('answers 503 CB_ERR_NOT_REPLICATED while the replica cannot confirm, and 202 once it can', async () => {
    await until(async () => (await group.masterPort()) > 0, 10_000, 'a master');
    const masterPort = await group.masterPort();
    const replicas = group.servers.filter((server) => server.port !== masterPort);
    const post = (id: string) =>
      postJson(
        `${app.url}/v1/events`,
        envelope(acwBody({ conversationId: id, addressFrom: phoneOf(99), ani: phoneOf(99) })),
      );
    await until(async () => (await post('wait-warmup')).status === 202, 30_000, 'a synced replica');
    // Connected, but acknowledging nothing (the restarted one may still be syncing).
    for (const replica of replicas) process.kill(replica.pid, 'SIGSTOP');
    try {
      const refused = await post('wait-refused');
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ code: 'CB_ERR_NOT_REPLICATED' });
    } finally {
      for (const replica of replicas) process.kill(replica.pid, 'SIGCONT');
    }
    const accepted = await post('wait-refused'); // the sender's retry
    expect(accepted.status).toBe(202);
  }, 60_000);

  it('doctor names the master the sentinels agree on and the replica WAIT relies on', async () => {
    await until(
      async () => {
        const out = captureIo();
        await doctor([], env, out.io);
        return out.stdout().includes('with 2 replica(s)');
      },
      30_000,
      'the restarted server to be a replica',
    );
    const out = captureIo();
    const code = await doctor([], env, out.io);
    const report = out.stdout();
    expect(report).toContain('✔ redis: sentinel: connected to the master with 2 replica(s)');
    expect(report).toMatch(
      new RegExp(
        `✔ redis: sentinel 127\\.0\\.0\\.1:\\d+: master ${group.masterName} is 127\\.0\\.0\\.1:${await group.masterPort()}; 3 usable Sentinels`,
      ),
    );
    expect(report).toContain(
      '✔ redis: /v1/events answers 202 once 1 replica(s) hold the events (WAIT, up to 300 ms)',
    );
    expect(code).toBe(0);
  }, 60_000);
});
