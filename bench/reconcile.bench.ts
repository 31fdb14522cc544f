// npm run bench:reconcile — the record/reconcile pipeline end to end against
// Salesforce's REST API: a private redis-server, the bridge as operators run it
// (`continuity-bridge serve`: web + worker in one process) in a child process,
// and an in-process Salesforce emulator (test/emulators/salesforce/emulator.ts) seeded with
// 2,000 Contacts. 10,000 wrap-up events are posted to /v1/events; the run
// measures ingest, per-conversation latency from 202 to the write in Salesforce,
// drain time and the API calls spent, then checks every customer's owner.
// Writes bench/results/reconcile.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startRedis } from '../test/support/redis-server.ts';
import {
  BENCH_TOKEN,
  salesforceWriteTracker,
  emulatorBridgeEnv,
  counterSeries,
  now,
  postEvents,
  resultsDir,
  round,
  sleep,
  startBridgeProcess,
  stats,
} from './reconcile-support.ts';
import { buildWorkload, newest, type AcwEvent } from './reconcile-workload.ts';
import { startSalesforceEmulator } from '../test/emulators/salesforce/emulator.ts';
import { truncateToSecond } from '../test/emulators/salesforce/schema.ts';
import { machineDescription } from './machine.ts';

const CUSTOMERS = 2000;
const EVENTS = 10_000;
const PER_REQUEST = 50;
const SENDERS = 8;
const DRAIN_TIMEOUT_MS = 150_000;
const TOKEN = BENCH_TOKEN;
const PREFIX = '{bench-reconcile}';
const BRIDGE_ENV = {
  // No settle delay: without Genesys credentials the event is the authority, and
  // a delay would only add itself to every latency figure.
  RECONCILE_DELAY_MS: process.env.BENCH_RECONCILE_DELAY_MS ?? '0',
  // The defaults: above the 200-record Collections batch, so one batch can fill
  // while the previous one is being written.
  WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '1024',
  COMMIT_BATCH_WINDOW_MS: process.env.BENCH_COMMIT_BATCH_WINDOW_MS ?? '100',
};
const SF_LATENCY_MS = Number(process.env.BENCH_SF_LATENCY_MS ?? 0);

const workload = buildWorkload({
  customers: CUSTOMERS,
  events: EVENTS,
  duplicateRate: 0.1,
  twoEventRate: 0.15,
  seed: 20261125,
  now: Date.now(),
});
const redis = await startRedis();
const emulator = await startSalesforceEmulator({
  seed: { contacts: CUSTOMERS, openCaseEvery: 3, closedCaseEvery: 5 },
  clientId: 'bench-client',
  clientSecret: 'bench-secret',
  latencyMs: SF_LATENCY_MS,
});
const bridge = await startBridgeProcess({
  NODE_ENV: 'production',
  ...(await emulatorBridgeEnv({
    redisUrl: redis.url,
    prefix: PREFIX,
    salesforceUrl: emulator.url,
  })),
  ...BRIDGE_ENV,
}).catch(async (error: unknown) => {
  await emulator.close();
  await redis.stop();
  throw error;
});
const queueRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
const queue = new Queue('reconcile', { connection: queueRedis, prefix: PREFIX });

try {
  // Ingest: SENDERS concurrent senders post PER_REQUEST events per request.
  const requests: AcwEvent[][] = [];
  for (let i = 0; i < workload.deliveries.length; i += PER_REQUEST) {
    requests.push(workload.deliveries.slice(i, i + PER_REQUEST));
  }
  const run = await postEvents(bridge.url, TOKEN, requests, SENDERS);
  const { acceptedAt, started, finished: ingested } = run;

  // Drain: until every conversation's final version is in Salesforce and the queue is idle.
  const track = salesforceWriteTracker(emulator, workload);
  const { historyAt: finalWrite, ownerAt: ownerWrite, finals, contactPhone } = track;
  const owners = track.expectedOwners;
  const scan = track.scan;
  const idle = async () => {
    const counts = await queue.getJobCounts(
      'waiting',
      'delayed',
      'active',
      'prioritized',
      'waiting-children',
    );
    return Object.values(counts).every((n) => n === 0);
  };
  let timedOut = false;
  let idleSince: number | undefined;
  for (;;) {
    scan();
    idleSince = (await idle()) ? (idleSince ?? now()) : undefined;
    // Done when everything is written and no job is left; a queue idle for 3 s
    // with writes missing means they will never come (the check below counts them).
    if (idleSince !== undefined && (finalWrite.size === finals.size || now() - idleSince > 3_000))
      break;
    if (now() - ingested > DRAIN_TIMEOUT_MS) {
      timedOut = true;
      break;
    }
    await sleep(50);
  }
  const lastWrite = Math.max(...finalWrite.values(), ...ownerWrite.values());
  const jobCounts = await queue.getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active');
  const metricsText = await (
    await fetch(`${bridge.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).text();
  const metric = (name: string) => counterSeries(metricsText, name);

  // Latency: from the 202 that carried a conversation's newest event to the Salesforce write of that version.
  const conversationLatency = workload.conversations.flatMap((c) => {
    const from = acceptedAt.get(newest(c).key);
    const to = finalWrite.get(c.id);
    return from === undefined || to === undefined ? [] : [Math.max(0, to - from)];
  });
  const ownerLatency = [...owners].flatMap(([phone, c]) => {
    const from = acceptedAt.get(newest(c).key);
    const to = ownerWrite.get(phone);
    return from === undefined || to === undefined ? [] : [Math.max(0, to - from)];
  });

  // Correctness, read from the emulator's tables (what Salesforce holds).
  const contacts = [...emulator.tables.get('Contact')!.values()];
  const cases = [...emulator.tables.get('Case')!.values()];
  const history = [...emulator.tables.get('Conversation_Ownership__c')!.values()];
  const contactMismatches = contacts.filter((c) => {
    const owner = owners.get(c.WhatsApp_Number__c as string)!;
    return c.Last_Conversation_Id__c !== owner.id || c.Last_Agent_Id__c !== newest(owner).userId;
  });
  const caseMismatches = cases
    .filter((k) => k.IsClosed === false)
    .filter((k) => {
      const phone = contactPhone.get(k.ContactId as string)!;
      return k.Last_Conversation_Id__c !== owners.get(phone)!.id;
    });
  const byConversation = new Map(history.map((h) => [h.Conversation_Id__c as string, h]));
  const historyMismatches = workload.conversations.filter((c) => {
    const row = byConversation.get(c.id);
    return !row || row.Ended_At__c !== finals.get(c.id) || row.Agent_Id__c !== newest(c).userId;
  });
  const sameSecond = [...owners.values()].filter((owner) =>
    workload.conversations.some(
      (c) =>
        c.customer === owner.customer &&
        c.id !== owner.id &&
        truncateToSecond(newest(c).eventTime) === truncateToSecond(newest(owner).eventTime),
    ),
  ).length;

  const ingestSeconds = (ingested - started) / 1000;
  const apiPer1000 = round(emulator.calls / (EVENTS / 1000), 2);
  const mismatches =
    contactMismatches.length +
    caseMismatches.length +
    historyMismatches.length +
    Math.max(0, history.length - workload.conversations.length);
  const results = {
    benchmark: 'reconcile',
    date: new Date().toISOString(),
    machine: machineDescription(),
    setup: {
      customers: CUSTOMERS,
      contactsWithOpenCase: cases.filter((k) => k.IsClosed === false).length,
      deliveries: workload.deliveries.length,
      uniqueEvents: acceptedAt.size,
      conversations: workload.conversations.length,
      transfers: workload.transfers,
      parkedAndResumed: workload.parked,
      eventsPerRequest: PER_REQUEST,
      requests: requests.length,
      senders: SENDERS,
      bridge:
        'continuity-bridge serve (web + worker in one child process), jobs derived from events (no Genesys)',
      store: `Salesforce REST emulator in the bench process (API 68.0, added latency per call ${SF_LATENCY_MS} ms)`,
      env: BRIDGE_ENV,
    },
    ingest: {
      eventsPerSecond: Math.round(EVENTS / ingestSeconds),
      seconds: round(ingestSeconds, 2),
      requestLatencyMs: stats(run.requestMs),
      ...run.answers,
    },
    reconcile: {
      drainSeconds: round((lastWrite - started) / 1000, 2),
      afterLastAcceptSeconds: round((lastWrite - ingested) / 1000, 2),
      conversationLatencyMs: stats(conversationLatency),
      ownerLatencyMs: stats(ownerLatency),
      jobs: metric('continuity_reconcile_jobs_total'),
      queue: jobCounts,
      timedOut,
    },
    salesforce: {
      apiCalls: emulator.calls,
      apiCallsPer1000Events: apiPer1000,
      byKind: emulator.callsByKind,
      bridgeCounted: metric('continuity_external_calls_total'),
    },
    correctness: {
      contactMismatches: contactMismatches.length,
      caseMismatches: caseMismatches.length,
      historyMismatches: historyMismatches.length,
      historyRows: history.length,
      customersWithSameSecondConversations: sameSecond,
    },
    bridgeLog: {
      ...bridge.log,
      samples: [...bridge.log.samples],
      reasons: Object.fromEntries(bridge.log.reasons),
    },
    targets: { apiCallsPer1000EventsAtMost: 20, mismatches: 0 },
    targetsMet: { apiBudget: apiPer1000 <= 20, correctness: mismatches === 0 && !timedOut },
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'reconcile.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await bridge.stop();
  await queue.close();
  queueRedis.disconnect();
  await emulator.close();
  await redis.stop();
}
