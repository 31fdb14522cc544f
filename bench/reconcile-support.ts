// Helpers of the reconcile benchmark (bench/reconcile.bench.ts): the bridge as
// a child process (`continuity-bridge serve`), the event senders, percentiles,
// and Prometheus counters read back from /metrics.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/redis-server.ts';
import { newest, type AcwEvent, type Workload } from './reconcile-workload.ts';
import { seedPhone, type SalesforceEmulator } from '../test/emulators/salesforce/emulator.ts';
import { truncateToSecond } from '../test/emulators/salesforce/schema.ts';

export const now = performance.now.bind(performance);

/** The API token every bench bridge accepts. */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

/**
 * The environment of a bench bridge on a private Redis and the Salesforce
 * emulator (client credentials `bench-client` / `bench-secret`), on a free port.
 */
export async function emulatorBridgeEnv(options: {
  redisUrl: string;
  prefix: string;
  salesforceUrl: string;
}): Promise<Record<string, string>> {
  return {
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.prefix,
    API_TOKENS: BENCH_TOKEN,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SF_LOGIN_URL: options.salesforceUrl,
    SF_CLIENT_ID: 'bench-client',
    SF_CLIENT_SECRET: 'bench-secret',
  };
}
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function stats(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

export interface BridgeProcess {
  readonly url: string;
  readonly pid: number;
  /** Warnings and errors the bridge logged (pino levels 40 and 50), with a few messages. */
  readonly log: {
    warnings: number;
    errors: number;
    samples: Set<string>;
    /** Warnings and errors by message and error code (the first 80 characters of `err.message`). */
    reasons: Map<string, number>;
  };
  stop(): Promise<void>;
}

/**
 * Starts `continuity-bridge serve` (web + worker) with only `env` (PORT set), or
 * `worker` (health on METRICS_PORT), and waits for /healthz.
 */
export async function startBridgeProcess(
  env: Record<string, string>,
  command: 'serve' | 'worker' = 'serve',
): Promise<BridgeProcess> {
  const bin = fileURLToPath(new URL('../bin/continuity-bridge.js', import.meta.url));
  const child = spawn(process.execPath, [bin, command], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const log = {
    warnings: 0,
    errors: 0,
    samples: new Set<string>(),
    reasons: new Map<string, number>(),
  };
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      let entry: { level?: number; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      const level = entry.level ?? 0;
      if (level >= 50) log.errors += 1;
      else if (level >= 40) log.warnings += 1;
      if (level >= 40 && log.samples.size < 5) log.samples.add(entry.msg ?? '');
      if (level >= 40) {
        const reason = `${entry.msg ?? ''}: ${(entry.err?.message ?? '').slice(0, 80)}`;
        log.reasons.set(reason, (log.reasons.get(reason) ?? 0) + 1);
      }
    }
  });
  const url = `http://127.0.0.1:${(command === 'worker' ? env.METRICS_PORT : env.PORT) ?? ''}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM'); // graceful: drains requests and jobs
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const upBy = Date.now() + 20_000;
  const healthy = () =>
    fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  while (!(await healthy())) {
    if (Date.now() > upBy || child.exitCode !== null) {
      await stop();
      throw new Error('the bridge did not start');
    }
    await sleep(50);
  }
  return { url, pid: child.pid ?? 0, log, stop };
}

export interface IngestRun {
  readonly started: number;
  readonly finished: number;
  /** `performance.now()` of the 202 that first carried each event (by event key). */
  readonly acceptedAt: Map<string, number>;
  readonly requestMs: number[];
  readonly answers: { accepted: number; duplicates: number; ignored: number; non202: number };
}

/**
 * Posts `requests` (arrays of EventBridge envelopes) to /v1/events from
 * `senders` concurrent senders; a non-202 is retried with backoff, as EventBridge does.
 */
export async function postEvents(
  url: string,
  token: string,
  requests: readonly (readonly AcwEvent[])[],
  senders: number,
): Promise<IngestRun> {
  const acceptedAt = new Map<string, number>();
  const requestMs: number[] = [];
  const answers = { accepted: 0, duplicates: 0, ignored: 0, non202: 0 };
  let next = 0;
  const started = now();
  const send = async (batch: readonly AcwEvent[]) => {
    for (let attempt = 1; ; attempt += 1) {
      const t0 = now();
      const response = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': token },
        body: JSON.stringify(batch.map((e) => e.envelope)),
      });
      const body = (await response.json()) as typeof answers;
      const t1 = now();
      requestMs.push(t1 - t0);
      if (response.status === 202) {
        answers.accepted += body.accepted;
        answers.duplicates += body.duplicates;
        answers.ignored += body.ignored;
        for (const event of batch) if (!acceptedAt.has(event.key)) acceptedAt.set(event.key, t1);
        return;
      }
      answers.non202 += 1;
      if (attempt >= 5) {
        throw new Error(`/v1/events answered ${response.status}: ${JSON.stringify(body)}`);
      }
      await sleep(200 * attempt);
    }
  };
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < requests.length) await send(requests[next++]!);
    }),
  );
  return { started, finished: now(), acceptedAt, requestMs, answers };
}

/** A counter's non-zero series as `{"label:values": n}`; of `system` series, Salesforce's only. */
export function counterSeries(metricsText: string, name: string): Record<string, number> {
  const series = [...metricsText.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))];
  return Object.fromEntries(
    series
      .filter((m) => !m[1]!.includes('system=') || m[1]!.includes('system="salesforce"'))
      .map((m) => {
        const labels = [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].filter((l) => l[1] !== 'system');
        return [labels.map((l) => l[2]).join(':'), Number(m[2])] as const;
      })
      .filter(([, value]) => value > 0),
  );
}

export const resultsDir = fileURLToPath(new URL('results/', import.meta.url));

/** Tracks, from the emulator's write log, when each right owner and history row landed. */
export function salesforceWriteTracker(emulator: SalesforceEmulator, workload: Workload) {
  const finals = new Map(
    workload.conversations.map((c) => [c.id, truncateToSecond(newest(c).eventTime)]),
  );
  const owners = new Map([...workload.expected].map(([customer, c]) => [seedPhone(customer), c]));
  const contactPhone = new Map(
    [...emulator.tables.get('Contact')!.values()].map((c) => [
      c.Id as string,
      c.WhatsApp_Number__c as string,
    ]),
  );
  const historyAt = new Map<string, number>();
  const ownerAt = new Map<string, number>();
  let scanned = 0;
  const scan = () => {
    for (; scanned < emulator.writes.length; scanned += 1) {
      const { at, object, record } = emulator.writes[scanned]!;
      if (object === 'Conversation_Ownership__c') {
        const id = record.Conversation_Id__c as string;
        if (!historyAt.has(id) && record.Ended_At__c === finals.get(id)) historyAt.set(id, at);
      } else if (object === 'Contact') {
        const phone = contactPhone.get(record.Id as string)!;
        const owner = owners.get(phone);
        if (owner && !ownerAt.has(phone) && record.Last_Conversation_Id__c === owner.id)
          ownerAt.set(phone, at);
      }
    }
    return {
      ownersWrong: owners.size - ownerAt.size,
      historyWrong: finals.size - historyAt.size,
      done: ownerAt.size === owners.size && historyAt.size === finals.size,
    };
  };
  const last = () => ({
    owner: Math.max(...ownerAt.values()),
    history: Math.max(...historyAt.values()),
  });
  return {
    scan,
    last,
    owners: owners.size,
    history: finals.size,
    /** When each conversation's final version and each right owner landed. */
    historyAt,
    ownerAt,
    finals,
    expectedOwners: owners,
    contactPhone,
  };
}
