// npm run bench:load — load as it arrives on a real day, not as one burst:
// wrap-ups posted to /v1/events at a sustained rate (default 50/s for 120 s),
// lookups at 200/s alongside, a Salesforce REST emulator answering every call
// after a realistic delay (default 250 ms), and the bridge as operators run it
// (`continuity-bridge serve`, plus a `continuity-bridge worker` for the
// two-worker variant) in child processes on a private redis-server.
// Variants (BENCH_LOAD_VARIANTS, `workers:batchWindowMs:maxWaitMs`): one worker
// with the fixed 100 ms window (before the adaptive batch), one and two workers
// with the adaptive batch (the defaults), and one worker with a fixed 1 s window.
// Writes bench/results/load.json (or BENCH_LOAD_OUT, e.g. a long memory run:
// BENCH_LOAD_VARIANTS=1:100:1000 BENCH_LOAD_SECONDS=600 BENCH_LOAD_OUT=load-memory.json).
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { seedPhone, startSalesforceEmulator } from '../test/emulators/salesforce/emulator.ts';
import { freePort, startRedis } from '../test/support/redis-server.ts';
import { machineDescription } from './machine.ts';
import {
  now,
  resultsDir,
  round,
  sleep,
  startBridgeProcess,
  stats,
  type BridgeProcess,
} from './reconcile-support.ts';

const RATE = Number(process.env.BENCH_LOAD_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 120);
const LOOKUP_RATE = Number(process.env.BENCH_LOOKUP_RATE ?? 200);
const SF_LATENCY_MS = Number(process.env.BENCH_SF_LATENCY_MS ?? 250);
const SETTLE_MS = Number(process.env.BENCH_RECONCILE_DELAY_MS ?? 5000);
const CUSTOMERS = Number(process.env.BENCH_LOAD_CUSTOMERS ?? 20_000);
const LICENSES = Number(process.env.BENCH_SF_LICENSES ?? 200);
const WARM_CUSTOMERS = 1000;
// `workers:batchWindowMs:maxWaitMs`; maxWaitMs 0 = the fixed window (before the adaptive batch).
const VARIANTS = (process.env.BENCH_LOAD_VARIANTS ?? '1:100:0,1:100:1000,2:100:1000,1:1000:0')
  .split(',')
  .map((v) => {
    const [workers, window, maxWait] = v.split(':').map(Number);
    return { workers: workers ?? 1, batchWindowMs: window ?? 100, maxWaitMs: maxWait ?? 1000 };
  });
const TOKEN = 'bench-token-0123456789abcdef';
const PREFIX = '{bench-load}';
const QUEUE = '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec';
const WRAPUPS_PER_DAY = 1_000_000;

let seed = 20261205;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

function envelope(conversationId: string, customer: number, eventTime: number) {
  const phone = `+${seedPhone(customer)}`;
  const at = new Date(eventTime).toISOString();
  return {
    version: '0',
    id: `delivery-${conversationId}`,
    'detail-type': 'v2.detail.events.conversation.{id}.acw',
    source: 'aws.partner/genesys.com/cloud/bb14bed0-f8f9-445d-b9d1-10cecb8569d6/bench',
    account: '123456789',
    time: at,
    region: 'us-east-1',
    resources: [],
    detail: {
      topicName: `v2.detail.events.conversation.${conversationId}.acw`,
      version: '2',
      eventBody: {
        eventTime,
        conversationId,
        participantId: '7fe59e83-106c-412b-930f-b2e1ec6efc56',
        mediaType: 'MESSAGE',
        direction: 'INBOUND',
        ani: phone,
        addressFrom: phone,
        addressTo: '+14155550100',
        messageType: 'WHATSAPP',
        userId: `agent-${Math.floor(random() * 300)}`,
        queueId: QUEUE,
        wrapupCode: 'c4460a70-3420-4d8e-a0a3-0218e1b51e6d',
      },
      metadata: { CorrelationId: 'b61df0b3-9e33-444b-a455-1c92a33ef4e2' },
      timestamp: at,
    },
  };
}

function rssMiB(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return round(Number(kib) / 1024, 1);
  } catch {
    return NaN;
  }
}

/**
 * The serve process's V8 heap and external memory from its own `/metrics`
 * (prom-client's default metrics), so RSS growth can be told apart: a heap
 * that grows with the run is a leak, a heap that settles while RSS follows it
 * up is V8 sizing its spaces to the load.
 */
async function heapMiB(
  url: string,
): Promise<{ heapUsed: number; heapTotal: number; external: number }> {
  const text = await fetch(`${url}/metrics`, { headers: { 'x-api-key': TOKEN } }).then((r) =>
    r.text(),
  );
  const read = (name: string) => {
    const value = new RegExp(`^continuity_${name} (\\S+)$`, 'm').exec(text)?.[1];
    return round(Number(value) / 1024 / 1024, 1);
  };
  return {
    heapUsed: read('nodejs_heap_size_used_bytes'),
    heapTotal: read('nodejs_heap_size_total_bytes'),
    external: read('nodejs_external_memory_bytes'),
  };
}

async function redisInfo(redis: Redis): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const line of (await redis.info()).split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

/** Lookups the web process answered from Salesforce (`source="store"`), from its metrics. */
async function lookupStoreReads(url: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, { headers: { 'x-api-key': TOKEN } });
  const text = await response.text();
  const count = /^continuity_lookup_duration_seconds_count\{source="store"\} (\d+)/m.exec(text);
  return count ? Number(count[1]) : 0;
}

async function runVariant(workers: number, batchWindowMs: number, maxWaitMs: number) {
  const redis = await startRedis();
  const emulator = await startSalesforceEmulator({
    seed: { contacts: CUSTOMERS, openCaseEvery: 3, closedCaseEvery: 5 },
    clientId: 'bench-client',
    clientSecret: 'bench-secret',
    latencyMs: SF_LATENCY_MS,
  });
  const env = {
    NODE_ENV: 'production',
    REDIS_URL: redis.url,
    REDIS_PREFIX: PREFIX,
    API_TOKENS: TOKEN,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SF_LOGIN_URL: emulator.url,
    SF_CLIENT_ID: 'bench-client',
    SF_CLIENT_SECRET: 'bench-secret',
    RECONCILE_DELAY_MS: String(SETTLE_MS),
    COMMIT_BATCH_WINDOW_MS: String(batchWindowMs),
    COMMIT_BATCH_MAX_WAIT_MS: String(maxWaitMs),
  };
  const processes: BridgeProcess[] = [];
  const probe = new Redis(redis.url);
  try {
    const web = await startBridgeProcess({ ...env, PORT: String(await freePort()) });
    processes.push(web);
    for (let i = 1; i < workers; i++) {
      processes.push(
        await startBridgeProcess(
          { ...env, PORT: '0', METRICS_PORT: String(await freePort()) },
          'worker',
        ),
      );
    }
    // The lookups ask about WARM customers (a Data Action asks about customers who
    // write again): warmed once here, then read 200/s while the worker is busy;
    // the wrap-ups that land on them invalidate their entries (near cache and Redis).
    const warm = Array.from({ length: WARM_CUSTOMERS }, (_, i) => i);
    for (let i = 0; i < warm.length; i += 50)
      await Promise.all(
        warm.slice(i, i + 50).map((customer) =>
          fetch(`${web.url}/v1/routing/lookup`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': TOKEN },
            body: JSON.stringify({ address: `+${seedPhone(customer)}`, queueId: QUEUE }),
          }).then((r) => r.arrayBuffer()),
        ),
      );
    // Calls from here on are the run's; the warm-up's lookups are not counted.
    const callsBefore = { ...emulator.callsByKind };
    const storeReadsBefore = await lookupStoreReads(web.url);
    const infoBefore = await redisInfo(probe);
    const headers = { 'content-type': 'application/json', 'x-api-key': TOKEN };

    // Open loop: each wrap-up and lookup leaves at its scheduled time, whatever the answers.
    const acceptedAt = new Map<string, number>();
    const eventMs: number[] = [];
    let non202 = 0;
    const lookupMs: Array<{ at: number; ms: number }> = [];
    const lookupStatus: Record<number, number> = {};
    const customersTouched = new Set<number>();
    const rss: Array<{ second: number; mib: number[] }> = [];
    const heap: Array<{ second: number } & Awaited<ReturnType<typeof heapMiB>>> = [];
    const inFlight = new Set<Promise<unknown>>();
    const track = (promise: Promise<unknown>) => {
      inFlight.add(promise);
      void promise.finally(() => inFlight.delete(promise));
    };
    const total = Math.round(RATE * SECONDS);
    const lookups = Math.round(LOOKUP_RATE * SECONDS);
    const started = now();
    let sentEvents = 0;
    let sentLookups = 0;
    let nextRss = 0;
    while (sentEvents < total || sentLookups < lookups) {
      const elapsed = now() - started;
      while (sentEvents < total && (sentEvents * 1000) / RATE <= elapsed) {
        const id = `load-${workers}-${batchWindowMs}-${maxWaitMs}-${sentEvents}`;
        const customer = Math.floor(random() * CUSTOMERS);
        customersTouched.add(customer);
        const body = JSON.stringify(envelope(id, customer, Date.now() - 2000));
        sentEvents += 1;
        const send = async () => {
          for (let attempt = 0; attempt < 5; attempt++) {
            const t0 = now();
            const status = await fetch(`${web.url}/v1/events`, { method: 'POST', headers, body })
              .then(async (response) => (await response.arrayBuffer(), response.status))
              .catch(() => 0); // the connection failed: counted and sent again, as a sender would
            eventMs.push(now() - t0);
            if (status === 202) return void acceptedAt.set(id, now());
            non202 += 1;
            await sleep(200);
          }
        };
        track(send());
      }
      while (sentLookups < lookups && (sentLookups * 1000) / LOOKUP_RATE <= elapsed) {
        sentLookups += 1;
        const customer = Math.floor(random() * WARM_CUSTOMERS);
        const ask = async () => {
          const t0 = now();
          const status = await fetch(`${web.url}/v1/routing/lookup`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ address: `+${seedPhone(customer)}`, queueId: QUEUE }),
          })
            .then(async (response) => (await response.arrayBuffer(), response.status))
            .catch(() => 0); // status 0: the connection failed
          lookupMs.push({ at: t0 - started, ms: now() - t0 });
          lookupStatus[status] = (lookupStatus[status] ?? 0) + 1;
        };
        track(ask());
      }
      if (elapsed >= nextRss) {
        const second = Math.round(elapsed / 1000);
        rss.push({ second, mib: processes.map((p) => rssMiB(p.pid)) });
        track(
          heapMiB(web.url).then(
            (h) => heap.push({ second, ...h }),
            () => {},
          ),
        );
        nextRss += 10_000;
      }
      await sleep(5);
    }
    await Promise.all(inFlight);
    const sendEnded = now();

    // Drain: until every accepted conversation has its history row in Salesforce.
    const written = new Map<string, number>();
    let scanned = 0;
    const drainBy = now() + SETTLE_MS + 120_000;
    while (now() < drainBy) {
      for (; scanned < emulator.writes.length; scanned++) {
        const write = emulator.writes[scanned]!;
        if (write.object !== 'Conversation_Ownership__c') continue;
        const id = write.record.Conversation_Id__c as string;
        if (!written.has(id)) written.set(id, write.at);
      }
      if ([...acceptedAt.keys()].every((id) => written.has(id))) break;
      await sleep(100);
    }
    rss.push({
      second: Math.round((now() - started) / 1000),
      mib: processes.map((p) => rssMiB(p.pid)),
    });
    const infoAfter = await redisInfo(probe);

    const freshness = [...acceptedAt].flatMap(([id, at]) => {
      const to = written.get(id);
      return to === undefined ? [] : [to - at];
    });
    const byKind = Object.fromEntries(
      Object.entries(emulator.callsByKind).map(([kind, n]) => [kind, n - (callsBefore[kind] ?? 0)]),
    );
    // A lookup the caches cannot answer reads Salesforce with one Composite call
    // too (#17): the web process counts those, and they are not the reconcile's.
    const lookupStoreReadsDuringRun = (await lookupStoreReads(web.url)) - storeReadsBefore;
    const reconcileCalls =
      Object.entries(byKind)
        .filter(([kind]) => kind.startsWith('composite') || kind === 'collections')
        .reduce((sum, [, n]) => sum + n, 0) - lookupStoreReadsDuringRun;
    const per1000 = round(reconcileCalls / (acceptedAt.size / 1000), 1);
    const callsPerDay = Math.round((reconcileCalls / acceptedAt.size) * WRAPUPS_PER_DAY);
    const allocation = 100_000 + LICENSES * 1_000;
    const usedBytes = Number(infoAfter.used_memory) - Number(infoBefore.used_memory);
    const busy = lookupMs.filter((l) => l.at <= sendEnded - started).map((l) => l.ms);
    return {
      variant: { workers, batchWindowMs, maxWaitMs },
      wrapups: { sent: total, accepted: acceptedAt.size, reconciled: freshness.length, non202 },
      ingestRequestMs: stats(eventMs),
      ownerFreshnessMs: {
        fromAccept: stats(freshness),
        afterSettleDelay: stats(freshness.map((ms) => Math.max(0, ms - SETTLE_MS))),
      },
      salesforce: {
        reconcileCalls,
        reconcileCallsPer1000Wrapups: per1000,
        lookupStoreReadsDuringRun,
        byKindDuringRun: byKind,
        maxInFlight: emulator.maxInFlight,
      },
      lookups: {
        sent: lookups,
        status: lookupStatus,
        whileWorkerBusyMs: stats(busy),
      },
      rssMiB: { processes: processes.length === 1 ? ['serve'] : ['serve', 'worker'], samples: rss },
      serveHeapMiB: heap.sort((a, b) => a.second - b.second),
      redis: {
        usedMemoryBytesGrowth: usedBytes,
        customersTouched: customersTouched.size,
        bytesPerCustomer: Math.round(usedBytes / customersTouched.size),
        commandsPerSecond: Math.round(
          (Number(infoAfter.total_commands_processed) -
            Number(infoBefore.total_commands_processed)) /
            ((now() - started) / 1000),
        ),
      },
      projection: {
        wrapupsPerDay: WRAPUPS_PER_DAY,
        reconcileCallsPerDay: callsPerDay,
        enterpriseAllocation: `100,000 + ${LICENSES} licenses x 1,000 = ${allocation.toLocaleString('en-US')} calls per 24 h`,
        shareOfAllocation: round(callsPerDay / allocation, 2),
      },
    };
  } finally {
    probe.disconnect();
    for (const process of processes.reverse()) await process.stop();
    await emulator.close();
    await redis.stop();
  }
}

const variants = [];
for (const { workers, batchWindowMs, maxWaitMs } of VARIANTS) {
  console.error(
    `bench:load: ${workers} worker(s), batch window ${batchWindowMs} ms, max wait ${maxWaitMs} ms, ${RATE}/s for ${SECONDS} s`,
  );
  variants.push(await runVariant(workers, batchWindowMs, maxWaitMs));
}
const results = {
  benchmark: 'load',
  date: new Date().toISOString(),
  // The load average at the start tells a quiet run from one on a busy shared host.
  machine: machineDescription(),
  setup: {
    wrapupsPerSecond: RATE,
    seconds: SECONDS,
    lookupsPerSecond: LOOKUP_RATE,
    salesforceLatencyMs: SF_LATENCY_MS,
    settleDelayMs: SETTLE_MS,
    customers: CUSTOMERS,
    lookupsAsk: `${WARM_CUSTOMERS} customers warmed before the run (wrap-ups land on ~${Math.round((WARM_CUSTOMERS / CUSTOMERS) * 100)}% of them and invalidate their entries)`,
    salesforceConcurrency:
      'Salesforce caps only requests lasting 20 s or more (25 at once in production); shorter calls have no concurrency cap, so the emulator answers every call, counting the most in flight',
    bridge:
      'continuity-bridge serve (+ continuity-bridge worker) in child processes, private redis-server, Salesforce REST emulator in the bench process',
  },
  variants,
};
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, process.env.BENCH_LOAD_OUT ?? 'load.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
console.log(JSON.stringify(results, null, 2));
