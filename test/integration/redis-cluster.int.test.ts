import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSlot } from '../../src/adapters/redis/index.ts';
import { doctor } from '../../src/cli/doctor.command.ts';
import type { Bridge } from '../../src/main.ts';
import { captureIo } from '../cli/cli-harness.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { ask, startCluster, type TestCluster } from '../support/redis-topology.ts';

/*
 * The bridge on a real three-master Redis Cluster (redis-server
 * --cluster-enabled yes, joined by redis-cli --cluster create): events,
 * reconcile, lookups, near-cache invalidation across processes, every key in
 * the prefix's slot, and doctor naming the topology.
 */

let cluster: TestCluster;
let env: Record<string, string>;
let writer: Bridge; // web + worker
let reader: Bridge; // another process: web only, its own near cache
let writerApp: RunningApp;
let readerApp: RunningApp;

const QUEUE = '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec';
const phoneOf = (i: number) => `+1415557${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  cluster = await startCluster(3);
  // REDIS_URL points nowhere: only the cluster seeds may be used.
  env = testEnv('redis://127.0.0.1:1', { REDIS_CLUSTER_NODES: cluster.seeds });
  writer = await startBridge(env);
  reader = await startBridge(env, {}, { web: true, worker: false });
  writerApp = await listen(writer.app);
  readerApp = await listen(reader.app);
}, 60_000);
afterAll(async () => {
  await writerApp?.close();
  await readerApp?.close();
  await reader?.close();
  await writer?.close();
  await cluster?.stop();
});

const lookup = async (app: RunningApp, address: string) => {
  const response = await postJson(`${app.url}/v1/routing/lookup`, { address, queueId: QUEUE });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('on a three-master Redis Cluster', () => {
  it('accepts events, reconciles them, and another process sees the new owner at once (near cache invalidated)', async () => {
    const address = phoneOf(1);
    // The reader remembers "no history" in its near cache (second read is a Redis hit).
    for (let i = 0; i < 3; i++)
      expect((await lookup(readerApp, address)).body).toMatchObject({ reason: 'no_history' });

    const response = await postJson(
      `${writerApp.url}/v1/events`,
      envelope(
        acwBody({
          conversationId: 'cluster-1',
          addressFrom: address,
          ani: address,
          userId: 'agent-a',
        }),
      ),
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      ignored: 0,
      rejected: 0,
      rejectedReasons: [],
    });

    // Within the near cache's 30 s TTL: only the pub/sub invalidation can make the reader see it.
    await expect
      .poll(async () => (await lookup(readerApp, address)).body, { timeout: 10_000, interval: 100 })
      .toMatchObject({ found: true, agentId: 'agent-a', lastConversationId: 'cluster-1' });

    const later = await postJson(
      `${writerApp.url}/v1/events`,
      envelope(
        acwBody({
          conversationId: 'cluster-2',
          addressFrom: address,
          ani: address,
          userId: 'agent-b',
          eventTime: Date.now() - 30_000,
        }),
      ),
    );
    expect(later.status).toBe(202);
    await expect
      .poll(async () => (await lookup(readerApp, address)).body, { timeout: 10_000, interval: 100 })
      .toMatchObject({ agentId: 'agent-b', lastConversationId: 'cluster-2' });
  });

  it('keeps every key of the prefix (queue, event log, cache, locks) in one slot on one master', async () => {
    const prefix = env.REDIS_PREFIX!;
    const slot = clusterSlot(prefix);
    const owners: number[] = [];
    let total = 0;
    for (const node of cluster.nodes) {
      const keys = (await ask(node.port, 'KEYS', `${prefix}*`)) as string[];
      if (keys.length > 0) owners.push(node.port);
      total += keys.length;
      for (const key of keys) expect(await ask(node.port, 'CLUSTER', 'KEYSLOT', key)).toBe(slot);
    }
    expect(total).toBeGreaterThan(5); // queue keys, events, owner entries
    expect(owners).toHaveLength(1);
    // Every key of the slot is one of ours (locks come and go, so compare at one instant).
    await expect
      .poll(async () => {
        const count = await ask(owners[0]!, 'CLUSTER', 'COUNTKEYSINSLOT', slot);
        const listed = ((await ask(owners[0]!, 'KEYS', `${prefix}*`)) as string[]).length;
        return count === listed;
      })
      .toBe(true);
  });

  it('answers 503 CB_ERR_NOT_REPLICATED when it must wait for a replica the cluster does not have', async () => {
    const strict = await startBridge(
      { ...env, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '100' },
      {},
      {
        web: true,
        worker: false,
      },
    );
    const app = await listen(strict.app);
    try {
      const response = await postJson(
        `${app.url}/v1/events`,
        envelope(
          acwBody({
            conversationId: 'cluster-unreplicated',
            addressFrom: phoneOf(2),
            ani: phoneOf(2),
          }),
        ),
      );
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: 'CB_ERR_NOT_REPLICATED' });
    } finally {
      await app.close();
      await strict.close();
    }
  });

  it('doctor reports the cluster, the slot of the prefix, and that nothing waits for replicas', async () => {
    const out = captureIo();
    const code = await doctor([], env, out.io);
    const report = out.stdout();
    expect(report).toMatch(
      new RegExp(
        `✔ redis: cluster: state ok, 3 masters, 16384 of 16384 slots assigned; .* is slot ${clusterSlot(env.REDIS_PREFIX!)} on 127\\.0\\.0\\.1:\\d+ with 0 replica\\(s\\)`,
      ),
    );
    expect(report).toContain('✔ redis: acknowledged events are on the master only (no replicas)');
    expect(report).toContain('✔ redis: maxmemory-policy is noeviction');
    expect(code).toBe(0);
  });
});
