import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main.ts';
import {
  acwBody,
  envelope,
  postJson,
  startBridge,
  TEST_TOKEN,
  testEnv,
} from '../support/bridge.ts';
import { listen } from '../support/http.ts';
import { startRedis } from '../support/redis-server.ts';
import {
  API_LIMIT,
  seedPhone,
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../emulators/salesforce/emulator.ts';

/**
 * Issue #17 end to end: the bridge on the project's Salesforce emulator, which
 * counts calls as Salesforce does (one per HTTP request, one per Composite
 * request, token requests free) and injects faults.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function setup(options: { worker: boolean; env?: Record<string, string> }) {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const emulator = await startSalesforceEmulator({
    seed: { contacts: 5 },
    clientId: 'cb-client',
    clientSecret: 'cb-secret',
  });
  cleanups.push(() => emulator.close());
  const bridge: Bridge = await startBridge(
    testEnv(redis.url, {
      SF_LOGIN_URL: emulator.url,
      SF_CLIENT_ID: 'cb-client',
      SF_CLIENT_SECRET: 'cb-secret',
      LOOKUP_DEADLINE_MS: '3000',
      ...options.env,
    }),
    {},
    { web: true, worker: options.worker },
  );
  cleanups.push(() => bridge.close());
  const running = await listen(bridge.app);
  cleanups.push(() => running.close());
  const lookup = async (digits: string) => {
    const response = await postJson(`${running.url}/v1/routing/lookup`, {
      address: `+${digits}`,
      queueId: 'queue-support',
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const metric = async (line: string) =>
    (
      await (
        await fetch(`${running.url}/metrics`, {
          headers: { authorization: `Bearer ${TEST_TOKEN}` },
        })
      ).text()
    )
      .split('\n')
      .find((l) => l.startsWith(line));
  return { emulator, bridge, running, lookup, metric };
}

/** API calls the emulator counted while `work` ran. */
async function callsOf(emulator: SalesforceEmulator, work: () => Promise<unknown>) {
  const before = emulator.calls;
  await work();
  return emulator.calls - before;
}

describe('a good citizen of the customer’s Salesforce org', () => {
  it('costs one call per cold miss, known Contact or unknown number, and nothing for a repeat', async () => {
    const { emulator, lookup } = await setup({ worker: false });
    const known = seedPhone(1);
    const unknown = '14155559999';
    expect(await callsOf(emulator, () => lookup(known))).toBe(1); // the token request is free
    expect(emulator.callsByKind).toEqual({ composite_read: 1 });
    expect(await callsOf(emulator, () => lookup(unknown))).toBe(1);
    // The number unknown to the CRM is remembered (Redis and near cache).
    let answer: Record<string, unknown> = {};
    expect(await callsOf(emulator, async () => (answer = await lookup(unknown)))).toBe(0);
    expect(answer).toMatchObject({ found: false, reason: 'no_history' });
    expect(await callsOf(emulator, () => lookup(known))).toBe(0);
  });

  it('spends at most one call per 30 s on /readyz, however often the load balancer asks', async () => {
    const { emulator, running } = await setup({ worker: false });
    const ready = async () => (await fetch(`${running.url}/readyz`)).status;
    expect(
      await callsOf(emulator, async () => {
        for (let i = 0; i < 5; i += 1) expect(await ready()).toBe(200);
      }),
    ).toBe(1);
    emulator.faults.set({ down: true });
    expect(await ready()).toBe(200); // trusted for 30 s after the last answer
  });

  it('below SF_API_RESERVE_PERCENT, a miss costs no call and still answers; cached customers still route', async () => {
    const { emulator, lookup, metric } = await setup({
      worker: false,
      env: { SF_API_RESERVE_PERCENT: '10' },
    });
    const known = seedPhone(2);
    // Other integrations have spent 95 % of the org's day; the next answer says so.
    emulator.useElsewhere(API_LIMIT * 0.95);
    const contact = { contactId: expect.stringMatching(/^003/) };
    expect(await lookup(known)).toMatchObject(contact);
    expect(await metric('continuity_api_reserve_active{system="salesforce"}')).toMatch(/ 1$/);
    let answer: Record<string, unknown> = {};
    expect(await callsOf(emulator, async () => (answer = await lookup(seedPhone(3))))).toBe(0);
    expect(answer).toMatchObject({ action: 'fallback', reason: 'crm_api_reserve', found: false });
    expect(await callsOf(emulator, async () => (answer = await lookup(known)))).toBe(0);
    expect(answer).toMatchObject(contact);
  });

  it('holds the queue through a Salesforce outage without spending attempts, and is back within seconds', async () => {
    const { emulator, bridge, running } = await setup({
      worker: true,
      env: { COMMIT_BATCH_WINDOW_MS: '20' },
    });
    emulator.faults.set({ down: true });
    const events = Array.from({ length: 12 }, (_, i) =>
      envelope(
        acwBody({
          conversationId: `outage-conv-${i}`,
          eventTime: Date.now() - 60_000 + i,
          ani: `+${seedPhone(i % 5)}`,
          addressFrom: `+${seedPhone(i % 5)}`,
        }),
      ),
    );
    expect((await postJson(`${running.url}/v1/events`, events)).status).toBe(202);
    // Ten seconds down: long enough for per-job exponential backoff to reach 8 s.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const rejected = emulator.faults.injected.unavailable;
    // One probe every 2 s at most, plus the jobs that met the outage first.
    expect(rejected).toBeLessThan(20);
    const jobs = await bridge.reconcile.queue.bull.getJobs(['waiting', 'delayed', 'active']);
    expect(jobs.length).toBe(12);
    expect(jobs.map((j) => j.attemptsMade)).toEqual(jobs.map(() => 0));
    emulator.faults.clear();
    const back = Date.now();
    const history = () => emulator.tables.get('Conversation_Ownership__c')!.size;
    await expect.poll(history, { timeout: 10_000, interval: 50 }).toBe(12);
    expect(Date.now() - back).toBeLessThan(5_000);
    expect(await bridge.reconcile.queue.bull.getJobCounts('failed')).toEqual({ failed: 0 });
  }, 40_000);
});
