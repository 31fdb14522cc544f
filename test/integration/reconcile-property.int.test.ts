import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import type { Bridge } from '../../src/main.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { freePort, startRedis, type TestRedis } from '../support/redis-server.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

/**
 * DESIGN §2.2 as a property: whatever the interleaving, duplication and delay
 * of wrap-up events for many customers, processed by two worker processes, each
 * customer's stored owner is the owner of that customer's newest conversation.
 */

let redis: TestRedis;
let env: Record<string, string>;
let web: Bridge;
let running: RunningApp;
let workers: WorkerProcess[] = [];
let reader: SqliteOwnershipStore;
let run = 0;
let metricsPort = 0;

beforeAll(async () => {
  redis = await startRedis();
  env = testEnv(redis.url, { WORKER_CONCURRENCY: '16', COMMIT_BATCH_WINDOW_MS: '10' });
  web = await startBridge(env, {}, { web: true, worker: false });
  running = await listen(web.app);
  metricsPort = await freePort();
  workers = await Promise.all([
    startWorkerProcess({ ...env, METRICS_PORT: String(metricsPort) }),
    startWorkerProcess(env),
  ]);
  reader = new SqliteOwnershipStore(env.SQLITE_PATH!);
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await running?.close();
  await web?.close();
  await reader?.close();
  await redis?.stop();
});

const conversationArb = (customers: number) =>
  fc.record({
    customer: fc.integer({ min: 0, max: customers - 1 }),
    agent: fc.integer({ min: 0, max: 5 }),
    endedAt: fc.integer({ min: 1, max: 5_000_000 }),
    // Two wrap-ups of one conversation are at least seconds apart (resumed, then wrapped).
    parkedBefore: fc.option(fc.integer({ min: 2_000, max: 1_000_000 }), { nil: null }),
  });

const scenarioArb = fc
  .array(conversationArb(12), { minLength: 5, maxLength: 40 })
  .chain((conversations) =>
    fc.record({
      conversations: fc.constant(conversations),
      order: fc.shuffledSubarray(
        conversations.flatMap((_, i) => [i, i, i]), // each event may arrive up to 3 times
        { minLength: conversations.length * 3, maxLength: conversations.length * 3 },
      ),
      chunk: fc.integer({ min: 1, max: 7 }),
      pauseMs: fc.integer({ min: 0, max: 30 }),
    }),
  );

async function drained(): Promise<void> {
  await expect
    .poll(
      async () =>
        web.reconcile.queue.bull.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      {
        timeout: 30_000,
        interval: 100,
      },
    )
    .toEqual({ waiting: 0, active: 0, delayed: 0, prioritized: 0 });
}

describe('reconcile under random interleavings with two worker processes', () => {
  it('stores, for every customer, the owner of the newest conversation', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ conversations, order, chunk, pauseMs }) => {
        run += 1;
        const base = Date.now() - 6 * 24 * 3_600_000;
        const phone = (customer: number) =>
          `+1415555${String(run).padStart(2, '0')}${String(customer).padStart(2, '0')}`;
        const convId = (i: number) => `run${run}-conv${i}`;
        const eventsOf = (i: number) => {
          const c = conversations[i]!;
          const final = acwBody({
            conversationId: convId(i),
            participantId: `p-final-${i}`,
            addressFrom: phone(c.customer),
            ani: phone(c.customer),
            userId: `agent-${c.agent}`,
            eventTime: base + c.endedAt,
          });
          if (c.parkedBefore === null) return [envelope(final)];
          const parked = {
            ...final,
            participantId: `p-park-${i}`,
            userId: `agent-parked-${c.agent}`,
            eventTime: base + c.endedAt - c.parkedBefore,
          };
          return [envelope(final), envelope(parked)];
        };
        const deliveries = order.flatMap((i) => eventsOf(i));
        for (let offset = 0; offset < deliveries.length; offset += chunk) {
          const res = await postJson(
            `${running.url}/v1/events`,
            deliveries.slice(offset, offset + chunk),
          );
          expect(res.status).toBe(202);
          if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        }
        await drained();

        const delivered = new Set(order);
        const newest = new Map<number, { conversationId: string; agentId: string; at: number }>();
        delivered.forEach((i) => {
          const c = conversations[i]!;
          // Versions have second precision (a Salesforce DateTime); ties go to the conversation id.
          const candidate = {
            conversationId: convId(i),
            agentId: `agent-${c.agent}`,
            at: Math.floor((base + c.endedAt) / 1000) * 1000,
          };
          const best = newest.get(c.customer);
          const wins =
            !best ||
            candidate.at > best.at ||
            (candidate.at === best.at && candidate.conversationId > best.conversationId);
          if (wins) newest.set(c.customer, candidate);
        });
        for (const [customer, expected] of newest) {
          const record = await reader.findCustomer({
            kind: 'phone',
            value: phone(customer).slice(1),
          });
          expect(record?.current, `customer ${customer}`).toMatchObject({
            conversationId: expected.conversationId,
            agentId: expected.agentId,
            endedAt: expected.at,
          });
        }
        expect(await web.reconcile.queue.bull.getFailedCount()).toBe(0);
      }),
      { numRuns: 6, endOnFailure: true },
    );
  }, 240_000);

  it('lets a worker-only process be scraped: its job outcomes are on its /metrics', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/continuity_reconcile_jobs_total\{outcome="applied"\} [1-9]/);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/v1/routing/lookup`)).status).toBe(404);
  });
});
