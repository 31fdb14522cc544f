// npm run bench:sqlite — the embedded store (SQLite via node:sqlite) at a
// million customers: write throughput through the store's own commit path
// (the worker's batches, 200 changes per commit), the file size, and the
// lookup latency of a freshly opened store (SQLite's page cache empty; the
// operating system's file cache is not dropped, as that needs root and would
// slow the other work on this shared machine). Writes bench/results/sqlite-scale.json.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteOwnershipStore } from '../src/adapters/sqlite/ownership-store.sqlite.ts';
import type { OwnershipChange } from '../src/ports/ownership-store.port.ts';
import { machineDescription } from './machine.ts';
import { now, resultsDir, round } from './reconcile-support.ts';

const CUSTOMERS = Number(process.env.BENCH_SQLITE_CUSTOMERS ?? 1_000_000);
const BATCH = 200;
const LOOKUPS = Number(process.env.BENCH_SQLITE_LOOKUPS ?? 20_000);
const HOUR = 3_600_000;
const base = Date.UTC(2026, 10, 1);

const phone = (i: number) => String(5511900000000 + i);
function change(i: number, conversation: number): OwnershipChange {
  const endedAt = Math.floor((base + conversation * 1000) / 1000) * 1000;
  return {
    key: { kind: 'phone', value: phone(i) },
    ownership: {
      conversationId: `conv-${conversation}`,
      agentId: `agent-${i % 500}`,
      agentName: `Agent ${i % 500}`,
      queueId: `queue-${i % 20}`,
      queueName: `Queue ${i % 20}`,
      wrapupCode: 'wrap-resolved',
      wrapupName: 'Resolved',
      startedAt: endedAt - HOUR,
      endedAt,
      transferCount: 0,
      source: 'event',
      caseId: '',
      notes: '',
      unresolved: false,
      channel: 'whatsapp',
      attributes: {},
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'cb-sqlite-scale-'));
const path = join(dir, 'continuity.sqlite');
try {
  const store = new SqliteOwnershipStore(path);
  const writeStarted = now();
  const progress: Array<{ customers: number; seconds: number }> = [];
  for (let i = 0; i < CUSTOMERS; i += BATCH) {
    const batch: OwnershipChange[] = [];
    for (let j = i; j < Math.min(CUSTOMERS, i + BATCH); j++) batch.push(change(j, j));
    const results = await store.commit(batch);
    if (results.some((result) => result.status !== 'applied'))
      throw new Error('a write was not applied');
    if ((i / BATCH) % 1000 === 0)
      progress.push({ customers: i, seconds: round((now() - writeStarted) / 1000, 1) });
  }
  const writeSeconds = (now() - writeStarted) / 1000;
  // A second conversation for 10% of them: the update path (compare-and-set on an existing row).
  const updates = Math.floor(CUSTOMERS / 10);
  const updateStarted = now();
  for (let i = 0; i < updates; i += BATCH) {
    const batch: OwnershipChange[] = [];
    for (let j = i; j < Math.min(updates, i + BATCH); j++)
      batch.push(change(j * 10, CUSTOMERS + j));
    await store.commit(batch);
  }
  const updateSeconds = (now() - updateStarted) / 1000;
  await store.close();
  const sizes = ['', '-wal', '-shm'].map((suffix) =>
    existsSync(path + suffix) ? statSync(path + suffix).size : 0,
  );

  // Cold: a new connection, so SQLite's own cache is empty; random customers, one at a time.
  const cold = new SqliteOwnershipStore(path);
  const latencies: number[] = [];
  let found = 0;
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let n = 0; n < LOOKUPS; n++) {
    const i = Math.floor(random() * CUSTOMERS);
    const t0 = now();
    const record = await cold.findCustomer({ kind: 'phone', value: phone(i) });
    latencies.push(now() - t0);
    if (record?.current) found += 1;
  }
  const unknown: number[] = [];
  for (let n = 0; n < 2000; n++) {
    const t0 = now();
    await cold.findCustomer({ kind: 'phone', value: String(5511800000000 + n) });
    unknown.push(now() - t0);
  }
  await cold.close();
  const fine = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) =>
      round(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN, 3);
    return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
  };
  const results = {
    benchmark: 'sqlite-scale',
    date: new Date().toISOString(),
    machine: {
      ...machineDescription(),
      note: '2 cores shared with other engineers running tests and builds at the same time; figures are lower bounds',
    },
    setup: {
      customers: CUSTOMERS,
      changesPerCommit: BATCH,
      store: 'SqliteOwnershipStore (WAL, synchronous NORMAL), the same commit path the worker uses',
      lookups: `${LOOKUPS} random known customers + 2000 unknown, from a freshly opened store (OS file cache not dropped)`,
    },
    write: {
      customersPerSecond: Math.round(CUSTOMERS / writeSeconds),
      seconds: round(writeSeconds, 1),
      updatesPerSecond: Math.round(updates / updateSeconds),
      progress,
    },
    file: {
      bytes: sizes[0],
      walBytes: sizes[1],
      mib: round((sizes[0]! + sizes[1]! + sizes[2]!) / 2 ** 20, 1),
      bytesPerCustomer: Math.round((sizes[0]! + sizes[1]!) / CUSTOMERS),
    },
    coldLookupMs: fine(latencies),
    unknownLookupMs: fine(unknown),
    found,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'sqlite-scale.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
