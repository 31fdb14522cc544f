import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSlot } from '../../src/adapters/redis/index.ts';
import type { Bridge } from '../../src/main.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { ask, startCluster, type TestCluster } from '../support/redis-topology.ts';

/*
 * A Cluster whose masters have replicas, as managed cluster-mode Redis runs:
 * with REDIS_WAIT_REPLICAS=1 an event is answered 202 only once a replica
 * holds it, so SIGKILLing the master that serves the prefix's slot loses
 * nothing acknowledged: the promoted replica has every event and job, and the
 * worker reconciles them all.
 */
const QUEUE = '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec';
const CUSTOMERS = 20;
const phoneOf = (i: number) => `+1415557${String(i + 100).padStart(4, '0')}`;

let cluster: TestCluster;
let bridge: Bridge;
let app: RunningApp;
let prefix: string;

beforeAll(async () => {
  cluster = await startCluster(3, 1);
  const env = testEnv('redis://127.0.0.1:1', {
    REDIS_CLUSTER_NODES: cluster.seeds,
    REDIS_WAIT_REPLICAS: '1',
    REDIS_WAIT_TIMEOUT_MS: '1000',
    // Jobs wait, so the kill comes while they are still only in Redis.
    RECONCILE_DELAY_MS: '3000',
  });
  prefix = env.REDIS_PREFIX!;
  bridge = await startBridge(env);
  app = await listen(bridge.app);
}, 90_000);
afterAll(async () => {
  await app?.close();
  await bridge?.close();
  await cluster?.stop();
});

/** The master serving the prefix's slot. */
async function masterOfPrefix(): Promise<number> {
  const slot = clusterSlot(prefix);
  for (const node of cluster.nodes) {
    const role = (await ask(node.port, 'ROLE').catch(() => null)) as unknown[] | null;
    if (role?.[0] !== 'master') continue;
    const count = (await ask(node.port, 'CLUSTER', 'COUNTKEYSINSLOT', slot)) as number;
    if (count > 0) return node.port;
  }
  throw new Error('no master serves the prefix slot');
}

describe('on a Cluster with a replica per master and REDIS_WAIT_REPLICAS=1', () => {
  it('acknowledges only replicated events, and a SIGKILL of the serving master loses none of them', async () => {
    for (let i = 0; i < CUSTOMERS; i++) {
      const response = await postJson(
        `${app.url}/v1/events`,
        envelope(
          acwBody({
            conversationId: `cluster-replica-${i}`,
            ani: phoneOf(i),
            addressFrom: phoneOf(i),
            userId: `agent-${i}`,
          }),
        ),
      );
      expect(response.status).toBe(202);
    }
    const port = await masterOfPrefix();

    // With its replica stopped, the master cannot confirm a write: refused, not acknowledged.
    const role = (await ask(port, 'ROLE')) as [string, number, Array<[string, string, string]>];
    const replica = cluster.nodes.find((node) => node.port === Number(role[2][0]![1]))!;
    process.kill(replica.pid, 'SIGSTOP');
    const refused = await postJson(
      `${app.url}/v1/events`,
      envelope(
        acwBody({
          conversationId: 'cluster-unconfirmed',
          ani: phoneOf(99),
          addressFrom: phoneOf(99),
        }),
      ),
    );
    process.kill(replica.pid, 'SIGCONT');
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ code: 'CB_ERR_NOT_REPLICATED' });

    await cluster.nodes.find((node) => node.port === port)!.kill();

    for (let i = 0; i < CUSTOMERS; i++) {
      await expect
        .poll(
          async () =>
            (
              await postJson(`${app.url}/v1/routing/lookup`, {
                address: phoneOf(i),
                queueId: QUEUE,
              })
            ).json(),
          { timeout: 60_000, interval: 250 },
        )
        .toMatchObject({
          found: true,
          agentId: `agent-${i}`,
          lastConversationId: `cluster-replica-${i}`,
        });
    }
  }, 120_000);
});
