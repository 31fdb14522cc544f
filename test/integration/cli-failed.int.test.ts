import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main.ts';
import { parseEventsBody } from '../../src/reconcile/event-parser.ts';
import { runCli } from '../cli/cli-harness.ts';
import { acwBody, envelope, startBridge, testEnv } from '../support/bridge.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

let redis: TestRedis;
let env: Record<string, string>;
let worker: Bridge;

// No customer address and no Genesys to ask: the worker fails the job for good.
// (An address that is present but can never be a customer is refused at ingest.)
const NO_ADDRESS = '';

beforeAll(async () => {
  redis = await startRedis();
  env = testEnv(redis.url);
  worker = await startBridge(env, {}, { web: false, worker: true });
});
afterAll(async () => {
  await worker?.close();
  await redis?.stop();
});

async function failedJob() {
  const [job] = await worker.reconcile.queue.bull.getFailed(0, 0);
  return job;
}

describe('continuity-bridge failed', () => {
  it('lists nothing on an empty queue', async () => {
    const result = await runCli(['failed', 'list'], env);
    expect(result).toMatchObject({ code: 0, stdout: 'no failed reconcile jobs\n' });
  });

  it('lists a job that failed for good, retries it, and it runs again', async () => {
    const parsed = parseEventsBody(
      envelope(
        acwBody({ conversationId: 'conv-bad-address', addressFrom: NO_ADDRESS, ani: NO_ADDRESS }),
      ),
      { messageTypes: ['WHATSAPP'] },
    );
    if (!parsed.ok) throw new Error('fixture event is not valid');
    await worker.reconcile.ingest.ingest(parsed.value.events, 0);
    await expect
      .poll(() => worker.reconcile.queue.bull.getFailedCount(), { timeout: 10_000 })
      .toBe(1);
    const job = (await failedJob())!;

    const list = await runCli(['failed', 'list'], env);
    expect(list.code).toBe(0);
    const [title, header, row] = list.stdout.split('\n');
    expect(title).toBe('1 failed job(s)');
    expect(header).toMatch(/^JOB\s+CONVERSATION\s+SOURCE\s+ATTEMPTS\s+FAILED AT\s+REASON$/);
    expect(row).toMatch(
      new RegExp(
        `^${job.id}\\s+conv-bad-address\\s+event\\s+1/15\\s+\\d{4}-.*Z\\s+CB_ERR_NO_CUSTOMER_ADDRESS: `,
      ),
    );
    expect(list.stdout).not.toMatch(/98765|4321 999/);

    const json = await runCli(['failed', 'list', '--json', '--limit', '10'], env);
    expect(JSON.parse(json.stdout)).toEqual({
      total: 1,
      jobs: [
        expect.objectContaining({
          id: job.id,
          code: 'CB_ERR_NO_CUSTOMER_ADDRESS',
          conversationId: 'conv-bad-address',
          attemptsMade: 1,
          failedReason: expect.stringMatching(/^CB_ERR_NO_CUSTOMER_ADDRESS/),
        }),
      ],
    });

    const unknown = await runCli(['failed', 'retry', '424242'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no failed job "424242"');

    // A permanent failure would fail again at once: skipped, and said so.
    const skipped = await runCli(['failed', 'retry', '--all'], env);
    expect(skipped).toMatchObject({
      code: 0,
      stdout:
        'retried 0 failed job(s)\nskipped 1 that failed for good (1 CB_ERR_NO_CUSTOMER_ADDRESS): they would fail again at once; fix the cause, then add --force\n',
    });
    const refused = await runCli(['failed', 'retry', 'conv-bad-address'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('failed for good (CB_ERR_NO_CUSTOMER_ADDRESS)');
    expect(refused.stderr).toContain('--force');
    expect((await failedJob())?.finishedOn).toBe(job.finishedOn);

    const finishedOn = job.finishedOn;
    const all = await runCli(['failed', 'retry', '--all', '--force'], env);
    expect(all).toMatchObject({ code: 0, stdout: 'retried 1 failed job(s)\n' });
    // The worker takes it again and, the address being what it is, fails it again.
    await expect
      .poll(async () => (await failedJob())?.finishedOn ?? finishedOn, { timeout: 10_000 })
      .not.toBe(finishedOn);
    expect((await failedJob())?.attemptsMade).toBe(1);

    const one = await runCli(['failed', 'retry', 'conv-bad-address', '--force'], env);
    expect(one).toMatchObject({
      code: 0,
      stdout: `retried 1 job: ${job.id} (conversation conv-bad-address)\n`,
    });
  });
});
