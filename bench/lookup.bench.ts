// npm run bench:lookup — throughput and latency of the routing lookup (warm
// cache, embedded store) beside a bare express handler returning a constant
// JSON body, in the same run on the same machine; first, the cold-miss section
// (bench/lookup-cold.ts: calls and latency of lookups the caches cannot answer,
// against the Salesforce emulator). Writes bench/results/lookup-cold-miss.json
// and bench/results/lookup.json. BENCH_LOOKUP_COLD_ONLY=1 runs the cold-miss
// section alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineDescription } from './machine.ts';
import autocannon from 'autocannon';
import { SqliteOwnershipStore } from '../src/adapters/sqlite/ownership-store.sqlite.ts';
import { startRedis } from '../test/support/redis-server.ts';
import { coldMissSection } from './lookup-cold.ts';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 6);
const ROUNDS = 5;
const CUSTOMERS = 1000;
const TOKEN = 'bench-token-0123456789abcdef';
const here = fileURLToPath(new URL('.', import.meta.url));

const phone = (i: number) => `1415557${String(i).padStart(4, '0')}`;

/**
 * BENCH_PROFILE=<dir> writes a V8 CPU profile of each server there (on SIGINT),
 * to see where a lookup's time goes.
 */
const PROFILE_DIR = process.env.BENCH_PROFILE;

/** CPU seconds (user + system) a process has used, from /proc: steadier than requests/s on a shared host. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startServer(
  mode: 'lookup' | 'bare',
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, join(here, 'bench-server.ts'), mode], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

type Run = Awaited<ReturnType<typeof load>>;

function median(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[
    Math.floor(runs.length / 2)
  ]!;
}

async function load(server: { child: ChildProcess; url: string }, duration: number) {
  const { url } = server;
  const cpuBefore = cpuSeconds(server.child.pid!);
  let n = 0;
  const result = await autocannon({
    url: `${url}/v1/routing/lookup`,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ address: `+${phone(n++ % CUSTOMERS)}`, queueId: 'queue-support' }),
        }),
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    totalRequests: result.requests.total,
    // Server CPU per answered request: what the lookup costs, whatever else the host was doing.
    cpuMicrosecondsPerRequest: Math.round(
      ((cpuSeconds(server.child.pid!) - cpuBefore) * 1e6) / Math.max(1, result.requests.total),
    ),
  };
}

const coldMiss = await coldMissSection();
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'lookup-cold-miss.json'),
  `${JSON.stringify({ benchmark: 'lookup-cold-miss', date: new Date().toISOString(), machine: machineDescription(), ...coldMiss }, null, 2)}\n`,
);
console.log(JSON.stringify(coldMiss, null, 2));
if (process.env.BENCH_LOOKUP_COLD_ONLY === '1') process.exit(0);

const redis = await startRedis();
const dir = mkdtempSync(join(tmpdir(), 'cb-bench-'));
const sqlitePath = join(dir, 'store.sqlite');
const store = new SqliteOwnershipStore(sqlitePath);
const now = Date.now();
await store.commit(
  Array.from({ length: CUSTOMERS }, (_, i) => ({
    key: { kind: 'phone' as const, value: phone(i) },
    ownership: {
      conversationId: `bench-conv-${i}`,
      agentId: `agent-${i % 40}`,
      agentName: '',
      queueId: 'queue-support',
      queueName: '',
      wrapupCode: '',
      wrapupName: '',
      startedAt: now - 7_200_000,
      endedAt: now - 3_600_000 - i,
      transferCount: 0,
      source: 'event' as const,
      caseId: '',
      // A typical acw note, so the lookup carries context as it does in production.
      notes: 'Refund approval pending; promised a callback on Tuesday after 10:00.',
      unresolved: i % 4 === 0,
      channel: 'whatsapp',
      attributes: { intent: 'billing' },
    },
  })),
);
await store.close();

const env = {
  REDIS_URL: redis.url,
  REDIS_PREFIX: '{bench}',
  API_TOKENS: TOKEN,
  SQLITE_PATH: sqlitePath,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
};
try {
  // Both servers stay up and are measured in alternating rounds, so a noisy
  // moment on this shared 2-core machine hits both, not just one of them.
  const lookupServer = await startServer('lookup', env);
  const bareServer = await startServer('bare', env);
  await load(lookupServer, 2); // warm-up: every customer is now in the cache, JIT is warm
  await load(bareServer, 2);
  const rounds: Array<{ lookup: Run; bare: Run }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const lookupRun = await load(lookupServer, DURATION_S);
    const bareRun = await load(bareServer, DURATION_S);
    rounds.push({ lookup: lookupRun, bare: bareRun });
  }
  // SIGINT: the servers exit on it, which writes their CPU profiles when asked.
  lookupServer.child.kill('SIGINT');
  bareServer.child.kill('SIGINT');
  const lookup = median(rounds.map((r) => r.lookup));
  const bare = median(rounds.map((r) => r.bare));

  const ratio = Math.round((lookup.requestsPerSecond / bare.requestsPerSecond) * 1000) / 1000;
  const cpuRatio =
    Math.round((bare.cpuMicrosecondsPerRequest / lookup.cpuMicrosecondsPerRequest) * 1000) / 1000;
  const results = {
    benchmark: 'lookup',
    date: new Date().toISOString(),
    machine: machineDescription(),
    setup: {
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      rounds: ROUNDS,
      reported: 'median round by requests/s, per server',
      customers: CUSTOMERS,
      store: 'sqlite (embedded)',
      cache: 'redis, warm',
    },
    lookup,
    bareExpress: bare,
    lookupToBareThroughput: ratio,
    coldMiss,
    // Bare CPU over lookup CPU per request: the throughput ratio a CPU-bound server would reach.
    bareToLookupCpuPerRequest: cpuRatio,
    allRounds: rounds.map((r) => ({
      lookup: r.lookup.requestsPerSecond,
      bare: r.bare.requestsPerSecond,
      lookupCpuUs: r.lookup.cpuMicrosecondsPerRequest,
      bareCpuUs: r.bare.cpuMicrosecondsPerRequest,
    })),
    targets: { throughputRatioAtLeast: 0.9, p99MsAtMost: 10 },
    targetsMet: { throughput: ratio >= 0.9, p99: lookup.latencyMs.p99 <= 10 },
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'lookup.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await redis.stop();
}
