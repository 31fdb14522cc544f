// The cold-miss section of npm run bench:lookup (issue #17): what a lookup the
// caches cannot answer costs the customer's Salesforce org. The bridge
// (`continuity-bridge serve`, child process) runs against the project's
// Salesforce emulator (test/emulators/salesforce/), which answers every API
// call after BENCH_SF_LATENCY_MS (default 250 ms, an org round trip) and counts
// calls as Salesforce does (one per HTTP request, one per Composite request,
// token requests free). Lookups are sent one at a time, so each one's calls are
// exact: cold misses for numbers with a Contact, cold misses for numbers unknown
// to the CRM, the same unknown numbers again, and cold misses with the org past
// 95 % of its daily allocation. Then a projection: calls a day for
// BENCH_CONVERSATIONS_PER_DAY conversations (default 300,000) with
// BENCH_UNKNOWN_SHARE of unknown numbers (default 0.4), every conversation a
// cold lookup (the worst case), against an Enterprise org's allocation.
import { startRedis } from '../test/support/redis-server.ts';
import {
  API_LIMIT,
  seedPhone,
  startSalesforceEmulator,
} from '../test/emulators/salesforce/emulator.ts';
import {
  BENCH_TOKEN,
  emulatorBridgeEnv,
  now,
  round,
  startBridgeProcess,
  stats,
} from './reconcile-support.ts';

const TOKEN = BENCH_TOKEN;
const LATENCY_MS = Number(process.env.BENCH_SF_LATENCY_MS ?? 250);
const SAMPLES = Number(process.env.BENCH_COLD_SAMPLES ?? 100);
const PER_DAY = Number(process.env.BENCH_CONVERSATIONS_PER_DAY ?? 300_000);
const UNKNOWN_SHARE = Number(process.env.BENCH_UNKNOWN_SHARE ?? 0.4);
/** Enterprise Edition: 100,000 + 1,000 per Salesforce licence (reference §2.7). */
const LICENCES = Number(process.env.BENCH_SF_LICENCES ?? 0);

export async function coldMissSection() {
  const redis = await startRedis();
  const emulator = await startSalesforceEmulator({
    seed: { contacts: SAMPLES * 2 },
    clientId: 'bench-client',
    clientSecret: 'bench-secret',
    latencyMs: LATENCY_MS,
  });
  const bridge = await startBridgeProcess({
    ...(await emulatorBridgeEnv({
      redisUrl: redis.url,
      prefix: '{bench-cold}',
      salesforceUrl: emulator.url,
    })),
    LOOKUP_DEADLINE_MS: '2000',
  });
  const lookup = async (digits: string) => {
    const calls = emulator.calls;
    const t0 = now();
    const response = await fetch(`${bridge.url}/v1/routing/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ address: `+${digits}`, queueId: 'queue-support' }),
    });
    const body = (await response.json()) as { reason: string };
    return { ms: now() - t0, calls: emulator.calls - calls, reason: body.reason };
  };
  const series = async (numbers: readonly string[]) => {
    const runs = [];
    for (const n of numbers) runs.push(await lookup(n));
    const calls = runs.reduce((sum, r) => sum + r.calls, 0);
    const reasons: Record<string, number> = {};
    for (const r of runs) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
    return {
      lookups: runs.length,
      callsPerLookup: round(calls / runs.length, 3),
      latencyMs: stats(runs.map((r) => r.ms)),
      reasons,
    };
  };
  try {
    await lookup(seedPhone(SAMPLES * 2 - 1)); // opens the session (the token is free), warms the JIT
    const known = Array.from({ length: SAMPLES }, (_, i) => seedPhone(i));
    const unknown = Array.from({ length: SAMPLES }, (_, i) => String(14155580000 + i));
    const coldKnown = await series(known);
    const coldUnknown = await series(unknown);
    const repeatUnknown = await series(unknown);
    const repeatKnown = await series(known);
    emulator.useElsewhere(Math.ceil(API_LIMIT * 0.95));
    await lookup(seedPhone(SAMPLES)); // the answer reports 95 % used: the reserve is kept
    // Contacts never looked up (the last one warmed the cache up above).
    const belowReserve = await series(
      Array.from({ length: SAMPLES - 2 }, (_, i) => seedPhone(SAMPLES + 1 + i)),
    );
    const allocation = 100_000 + LICENCES * 1000;
    const perDay = (known: number, unknownCalls: number) =>
      Math.round(PER_DAY * ((1 - UNKNOWN_SHARE) * known + UNKNOWN_SHARE * unknownCalls));
    const callsPerDay = perDay(coldKnown.callsPerLookup, coldUnknown.callsPerLookup);
    return {
      setup: {
        salesforce: `emulator, ${LATENCY_MS} ms per API call`,
        samplesPerSeries: SAMPLES,
        sent: 'one lookup at a time; calls counted by the emulator per lookup',
      },
      coldKnown,
      coldUnknown,
      repeatUnknown,
      repeatKnown,
      belowReserveColdKnown: belowReserve,
      projection: {
        conversationsPerDay: PER_DAY,
        unknownShare: UNKNOWN_SHARE,
        assumption: 'every conversation a cold lookup (worst case; repeats inside the TTLs cost 0)',
        lookupCallsPerDay: callsPerDay,
        ofWhichUnknownNumbers: Math.round(PER_DAY * UNKNOWN_SHARE * coldUnknown.callsPerLookup),
        enterpriseAllocation: allocation,
        licences: LICENCES,
        shareOfAllocation: round(callsPerDay / allocation, 3),
        reservePercent: 10,
      },
    };
  } finally {
    await bridge.stop();
    await emulator.close();
    await redis.stop();
  }
}
