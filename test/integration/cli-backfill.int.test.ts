import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../src/cli/backfill.command.ts';
import { captureIo } from '../cli/cli-harness.ts';
import { testEnv } from '../support/bridge.ts';
import { CLIENT_ID, CLIENT_SECRET, nockApi, nockLogin, REGION } from '../support/genesys-nock.ts';
import { analyticsQueryPage, errorBody } from '../support/genesys-payloads.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

const QUERY = '/api/v2/analytics/conversations/details/query';
const UNTIL = '2026-11-25T12:00:00.000Z';
const until = Date.parse(UNTIL);
const iso = (ms: number) => new Date(ms).toISOString();

let redis: TestRedis;
let connection: Redis;

beforeAll(async () => {
  redis = await startRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(async () => {
  nock.enableNetConnect();
  connection?.disconnect();
  await redis?.stop();
});

function genesysEnv(): Record<string, string> {
  return testEnv(redis.url, {
    GENESYS_CLIENT_ID: CLIENT_ID,
    GENESYS_CLIENT_SECRET: CLIENT_SECRET,
    GENESYS_REGION: REGION,
  });
}

/** Conversations that ended at the given times, as the details query lists them. */
const ended = (prefix: string, times: number[]) =>
  times.map((t, i) => ({
    conversationId: `${prefix}-${i}`,
    conversationStart: iso(t - 600_000),
    conversationEnd: iso(t),
  }));

/** Answers the details query whose interval ends at `end` and asks for `page`. */
function nockPage(end: number, page: number, body: unknown) {
  return nockApi('token-1')
    .post(QUERY, (query: { interval: string; paging: { pageNumber: number } }) => {
      return query.interval.endsWith(`/${iso(end)}`) && query.paging.pageNumber === page;
    })
    .reply(200, body);
}

describe('continuity-bridge backfill', () => {
  it('walks the window in slices, pages through analytics and queues every conversation once', async () => {
    const env = genesysEnv();
    const firstSliceEnd = until - 30 * 60_000;
    // Slice 1 [until-90m, until-30m): 150 conversations over two pages.
    const inFirst = (i: number) => until - 89 * 60_000 + i * 10_000;
    const page1 = ended(
      'conv',
      Array.from({ length: 100 }, (_, i) => inFirst(i)),
    );
    const page2 = ended(
      'conv',
      Array.from({ length: 150 }, (_, i) => inFirst(i)),
    ).slice(100);
    nockLogin('token-1');
    nockPage(firstSliceEnd, 1, analyticsQueryPage(page1, 150));
    nockPage(firstSliceEnd, 2, analyticsQueryPage(page2, 150));
    // Slice 2 [until-30m, until): 10 more, plus one listed again (counted once).
    const second = ended(
      'late',
      Array.from({ length: 10 }, (_, i) => until - 60_000 * (i + 1)),
    );
    nockPage(until, 1, analyticsQueryPage([...second, page1[0]!], 11));

    const out = captureIo();
    const code = await backfill(['--since', '90m', '--until', UNTIL, '--slice', '1h'], env, out.io);
    expect(out.stderr()).toContain(
      `backfill: ${iso(until - 90 * 60_000)} → ${UNTIL} (1 h 30 min) in 2 slice(s) of 1 h`,
    );
    expect(out.stderr()).toContain('backfill: 2/2 slices (100%) 160 conversations');
    expect(code).toBe(0);
    expect(out.stdout()).toBe(
      `queued 160 reconcile job(s) (source manual) for conversations that ended between ${iso(until - 90 * 60_000)} and ${UNTIL}\n`,
    );

    const queue = new Queue('reconcile', { connection, prefix: env.REDIS_PREFIX });
    const jobs = await queue.getJobs(['waiting', 'delayed']);
    await queue.close();
    expect(jobs).toHaveLength(160);
    expect(new Set(jobs.map((j) => j.data.source))).toEqual(new Set(['manual']));
    expect(jobs.map((j) => j.data.conversationId)).toContain('conv-149');
    expect(jobs.map((j) => j.data.conversationId)).toContain('late-9');
  });

  it('--dry-run counts without queuing', async () => {
    const env = genesysEnv();
    nockLogin('token-1');
    nockPage(until, 1, analyticsQueryPage(ended('dry', [until - 60_000]), 1));
    const out = captureIo();
    expect(await backfill(['--since', '1h', '--until', UNTIL, '--dry-run'], env, out.io)).toBe(0);
    expect(out.stdout()).toContain('dry run: 1 conversation(s) ended between');
    const queue = new Queue('reconcile', { connection, prefix: env.REDIS_PREFIX });
    expect(await queue.getJobCountByTypes('waiting', 'delayed')).toBe(0);
    await queue.close();
  });

  it('stops with exit 1 and says how to resume when Genesys fails', async () => {
    const env = genesysEnv();
    nockLogin('token-1');
    nockApi('token-1')
      .post(QUERY)
      .reply(503, errorBody(503, 'service.unavailable', 'The service is currently unavailable'));
    const out = captureIo();
    expect(await backfill(['--since', '2h', '--until', UNTIL], env, out.io)).toBe(1);
    expect(out.stderr()).toContain('postAnalyticsConversationsDetailsQuery: HTTP 503');
    expect(out.stderr()).toContain(`Re-run with --since 120m --until ${UNTIL}`);
    expect(out.stdout()).toContain('0 conversation(s) found before it were queued');
  });
});
