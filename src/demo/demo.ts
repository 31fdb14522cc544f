// npm run demo — the product working on one machine in one command: starts the
// bridge on the embedded store (and its own redis-server unless REDIS_URL is
// set), replays a generated day of WhatsApp wrap-ups, then asks the lookup
// about every customer and prints what Architect would have been told.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config.ts';
import { createSqliteStore } from '../adapters/sqlite/index.ts';
import { createBridge } from '../main.ts';
import { createLogger } from '../observability/logger.ts';
import type { AgentAvailability } from '../domain/routing-policy.ts';
import { generateDemoDay } from './demo-day.ts';
import { startDemoRedis } from './demo-redis.ts';
import { printReport, type LookupSample } from './demo-report.ts';

const out = (line = '') => process.stdout.write(`${line}\n`);
const TOKEN = 'demo-token-not-for-production';

const now = Date.now();
const day = generateDemoDay({ now, customers: Number(process.env.DEMO_CUSTOMERS ?? 300) });
const redis = await startDemoRedis(process.env.REDIS_URL);
const dir = mkdtempSync(join(tmpdir(), 'continuity-demo-'));
const config = loadConfig({
  REDIS_URL: redis.url,
  // A prefix of its own: the demo never reads or writes anyone else's keys.
  REDIS_PREFIX: `{continuity-demo-${process.pid}}`,
  API_TOKENS: TOKEN,
  SQLITE_PATH: join(dir, 'demo.sqlite'),
  PORT: '0',
  HOST: '127.0.0.1',
  RECONCILE_DELAY_MS: '0',
  FALLBACK_QUEUE_ID: day.queues.fallback,
  VIP_QUEUE_ID: day.queues.vip,
  LOG_LEVEL: 'warn',
});

// The demo has no Genesys org: presence is simulated from the generated roster
// (a quarter of the team is off shift), so the policy can show it never routes
// a returning customer to an agent who is not there.
const roster = new Map<string, AgentAvailability>(
  day.agents.map((agent) => [
    agent.id,
    agent.onShift
      ? { status: 'on_queue', queueIds: [agent.queueId, day.queues.vip] }
      : { status: 'off_queue', queueIds: [agent.queueId] },
  ]),
);
// The demo's own store, so it can flag VIPs as a CRM admin would.
const store = createSqliteStore(join(dir, 'demo.sqlite'));
const bridge = await createBridge(config, {
  logger: createLogger('warn'),
  store,
  availability: {
    getAvailability: async (ids) =>
      new Map(ids.flatMap((id) => (roster.has(id) ? [[id, roster.get(id)!]] : []))),
  },
});
try {
  const port = await bridge.listen();
  const base = `http://127.0.0.1:${port}`;
  out(`Continuity Bridge demo — bridge on ${base}, embedded store ${join(dir, 'demo.sqlite')}`);
  out(`Redis: ${redis.started ? `own redis-server on ${redis.url}` : redis.url}`);
  out();
  out(
    `Replaying a generated day: ${day.customers.length} customers, ${day.stats.conversations} conversations, ` +
      `${day.stats.transfers} transfers, ${day.stats.parked} parked (two wrap-ups), ${day.stats.duplicates} duplicate deliveries, ` +
      `${day.stats.events} deliveries in shuffled order, ${day.stats.outOfOrder} of them after a newer event of the same customer.`,
  );

  for (const customer of day.customers.filter((c) => c.vip))
    await store.setProfile({ kind: 'phone', value: customer.phone }, { vip: true });

  const started = Date.now();
  const totals = { accepted: 0, duplicates: 0, ignored: 0 };
  for (let i = 0; i < day.deliveries.length; i += 25) {
    const res = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(day.deliveries.slice(i, i + 25)),
    });
    if (res.status !== 202) throw new Error(`events answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as typeof totals;
    totals.accepted += body.accepted;
    totals.duplicates += body.duplicates;
    totals.ignored += body.ignored;
  }
  out(
    `POST /v1/events: ${totals.accepted} accepted, ${totals.duplicates} duplicates, ${totals.ignored} ignored.`,
  );
  while (true) {
    const counts = await bridge.reconcile.queue.bull.getJobCounts('waiting', 'active', 'delayed');
    if ((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  out(
    `Reconciled in ${((Date.now() - started) / 1000).toFixed(1)} s (failed jobs: ${await bridge.reconcile.queue.bull.getFailedCount()}).`,
  );
  out();

  const ask = async (address: string, queueId: string): Promise<LookupSample> => {
    const res = await fetch(`${base}/v1/routing/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TOKEN },
      body: JSON.stringify({ address, queueId, isNewConversation: true }),
    });
    return { address, decision: (await res.json()) as LookupSample['decision'] };
  };
  const samples: LookupSample[] = [];
  for (const customer of day.customers)
    samples.push(await ask(`whatsapp:+${customer.phone}`, day.queues.support));
  const extras = [
    await ask('+55 11 91234-0000', day.queues.support),
    await ask('not-a-number', day.queues.support),
  ];

  let wrongOwner = 0;
  for (const sample of samples) {
    const expected = day.newestByPhone.get(sample.address.replace(/\D/g, ''));
    if (
      expected &&
      sample.decision.found &&
      sample.decision.lastConversationId !== expected.conversationId
    )
      wrongOwner++;
  }
  printReport({ out, samples, extras, agents: day.agents, wrongOwner });
} finally {
  await bridge.close();
  await redis.stop();
  // The demo's store is only for this run: nothing is left in the temp folder.
  rmSync(dir, { recursive: true, force: true });
}
