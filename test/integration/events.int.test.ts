import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/genesys/${name}`, import.meta.url), 'utf8'));

let redis: TestRedis;
let bridge: Bridge;
let running: RunningApp;

beforeAll(async () => {
  redis = await startRedis();
  bridge = await startBridge(testEnv(redis.url));
  running = await listen(bridge.app);
});
afterAll(async () => {
  await running?.close();
  await bridge?.close();
  await redis?.stop();
});

/** Events that reached the event log, new or duplicate (from the bridge's own counters). */
async function ingested(): Promise<number> {
  const { values } = await bridge.infra.metrics.eventsReceived.get();
  return values
    .filter((v) => v.labels.outcome === 'accepted' || v.labels.outcome === 'duplicate')
    .reduce((sum, v) => sum + v.value, 0);
}

const counts = (partial: Partial<Record<'accepted' | 'duplicates' | 'ignored', number>>) => ({
  accepted: 0,
  duplicates: 0,
  ignored: 0,
  rejected: 0,
  rejectedReasons: [],
  ...partial,
});

/** Waits until the reconcile queue has nothing left to do. */
const drained = () =>
  expect
    .poll(() => bridge.reconcile.queue.bull.getJobCounts('waiting', 'active', 'delayed'), {
      timeout: 10_000,
    })
    .toEqual({ waiting: 0, active: 0, delayed: 0 });

async function refusedCount(): Promise<number> {
  const { values } = await bridge.infra.metrics.eventsReceived.get();
  return values.find((v) => v.labels.outcome === 'refused')?.value ?? 0;
}

const lookup = async (address: string) =>
  (
    await postJson(`${running.url}/v1/routing/lookup`, {
      address,
      queueId: '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec',
    })
  ).json();

describe('POST /v1/events → queue → worker → lookup', () => {
  it('turns the documented acw EventBridge envelope into the owner the next lookup answers', async () => {
    const documented = fixture('eventbridge-envelope.json');
    // The documented eventTime is from 2021; age it to now so it is inside the window.
    documented.detail.eventBody.eventTime = Date.now() - 5 * 60_000;
    const res = await postJson(`${running.url}/v1/events`, documented);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual(counts({ accepted: 1 }));
    await expect
      .poll(() => lookup('+14155550123'), { timeout: 10_000, interval: 100 })
      .toMatchObject({
        found: true,
        action: 'agent',
        agentId: '91979899-5186-4cee-beaa-1abafca462f9',
        lastConversationId: '9bd13240-8441-404f-bd30-a6a8babba5d4',
      });
  });

  it('replaces a remembered unknown number at once when the bridge writes that customer', async () => {
    expect(await lookup('+14155550177')).toMatchObject({ found: false, reason: 'no_history' });
    const body = acwBody({
      conversationId: 'conv-negative-1',
      addressFrom: '+14155550177',
      ani: '+14155550177',
    });
    expect((await postJson(`${running.url}/v1/events`, envelope(body))).status).toBe(202);
    // Well inside NEGATIVE_CACHE_TTL_SECONDS (15 min): the write-through replaced the entry.
    await expect
      .poll(() => lookup('+14155550177'), { timeout: 10_000, interval: 100 })
      .toMatchObject({ found: true, lastConversationId: 'conv-negative-1' });
  });

  it('counts duplicates and ignores other topics and channels', async () => {
    const body = acwBody({
      conversationId: 'conv-dup-1',
      addressFrom: '+14155550124',
      ani: '+14155550124',
    });
    const voice = acwBody({
      conversationId: 'conv-voice',
      mediaType: 'VOICE',
      messageType: undefined,
    });
    const sms = acwBody({ conversationId: 'conv-sms', messageType: 'SMS' });
    const res = await postJson(`${running.url}/v1/events`, [
      envelope(body),
      envelope(body),
      envelope(voice),
      envelope(sms),
      fixture('eventbridge-envelope-user-presence.json'),
    ]);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual(counts({ accepted: 1, duplicates: 1, ignored: 3 }));
    const again = await postJson(`${running.url}/v1/events`, envelope(body));
    expect(await again.json()).toEqual(counts({ duplicates: 1 }));
  });

  it('accepts a bare body as a Process Automation workflow posts it', async () => {
    const body = acwBody({
      conversationId: 'conv-bare-1',
      addressFrom: '5511987650101',
      ani: '5511987650101',
      userId: 'agent-bare',
    });
    const res = await postJson(`${running.url}/v1/events`, body);
    expect(await res.json()).toEqual(counts({ accepted: 1 }));
    await expect
      .poll(() => lookup('+55 11 98765-0101'), { timeout: 10_000, interval: 100 })
      .toMatchObject({ agentId: 'agent-bare' });
  });

  it('never lets an older event overwrite a newer owner', async () => {
    const now = Date.now();
    const newer = acwBody({
      conversationId: 'conv-new',
      addressFrom: '+5511987650202',
      eventTime: now - 60_000,
      userId: 'agent-new',
    });
    const older = acwBody({
      conversationId: 'conv-old',
      addressFrom: '+5511987650202',
      eventTime: now - 3_600_000,
      userId: 'agent-old',
    });
    await postJson(`${running.url}/v1/events`, envelope(newer));
    await expect
      .poll(() => lookup('+5511987650202'), { timeout: 10_000, interval: 100 })
      .toMatchObject({ agentId: 'agent-new' });
    await postJson(`${running.url}/v1/events`, envelope(older));
    await expect
      .poll(
        async () => await bridge.reconcile.queue.bull.getJobCounts('waiting', 'active', 'delayed'),
        {
          timeout: 10_000,
        },
      )
      .toEqual({ waiting: 0, active: 0, delayed: 0 });
    expect(await lookup('+5511987650202')).toMatchObject({
      agentId: 'agent-new',
      agentIds: ['agent-new', 'agent-old'],
    });
  });

  it('a redelivery answered "duplicate" never replaces the stored event: a contradicting one is refused in words', async () => {
    const first = acwBody({
      conversationId: 'conv-conflict',
      addressFrom: '+5511987650303',
      eventTime: Date.now() - 60_000,
      userId: 'agent-first',
    });
    await postJson(`${running.url}/v1/events`, envelope(first));
    await expect
      .poll(() => lookup('+5511987650303'), { timeout: 10_000, interval: 100 })
      .toMatchObject({ agentId: 'agent-first' });
    const contradicting = { ...first, userId: 'agent-other' };
    const res = await postJson(`${running.url}/v1/events`, envelope(contradicting));
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 0, duplicates: 0, rejected: 1 });
    expect(body.rejectedReasons[0]).toMatch(/conv-conflict.*other content.*first is kept/);
    await drained();
    expect(await lookup('+5511987650303')).toMatchObject({ agentId: 'agent-first' });
  });

  it('eventTime 0 and an address that can never be a customer are refused in the 202 body and counted', async () => {
    const before = await refusedCount();
    const res = await postJson(`${running.url}/v1/events`, [
      envelope(acwBody({ conversationId: 'conv-zero', eventTime: 0 })),
      envelope(acwBody({ conversationId: 'conv-noaddr', addressFrom: 'agent desk', ani: '' })),
    ]);
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 0, rejected: 2 });
    expect(body.rejectedReasons).toEqual([
      expect.stringMatching(/conv-zero.*before 2015/),
      expect.stringMatching(/conv-noaddr.*can never be a customer/),
    ]);
    expect(await refusedCount()).toBe(before + 2);
  });

  it('an acw dated 2099 does not pin its owner: the next genuine wrap-up wins', async () => {
    const future = acwBody({
      conversationId: 'conv-2099',
      addressFrom: '+5511987650404',
      eventTime: Date.parse('2099-01-01T00:00:00Z'),
      userId: 'agent-future',
    });
    expect(await (await postJson(`${running.url}/v1/events`, envelope(future))).json()).toEqual(
      counts({ accepted: 1 }),
    );
    await expect
      .poll(() => lookup('+5511987650404'), { timeout: 10_000, interval: 100 })
      .toMatchObject({ agentId: 'agent-future' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const genuine = acwBody({
      conversationId: 'conv-after-2099',
      addressFrom: '+5511987650404',
      eventTime: Date.now(),
      userId: 'agent-genuine',
    });
    await postJson(`${running.url}/v1/events`, envelope(genuine));
    await expect
      .poll(() => lookup('+5511987650404'), { timeout: 10_000, interval: 100 })
      .toMatchObject({ agentId: 'agent-genuine' });
    const { values } = await bridge.infra.metrics.untrustedTimes.get();
    expect(values.find((v) => v.labels.source === 'event')?.value).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [
      'a missing eventTime',
      [envelope(acwBody({ eventTime: undefined }))],
      '[0].detail.eventBody.eventTime',
    ],
    ['a string eventTime', acwBody({ eventTime: 'yesterday' }), 'eventTime'],
    [
      'an envelope without a topic',
      { 'detail-type': 'x', detail: { eventBody: {} } },
      'detail.topicName',
    ],
    ['an empty array', [], '(body)'],
    [
      'a topic for another conversation',
      { ...acwBody(), topicName: 'v2.detail.events.conversation.other.acw' },
      'topicName',
    ],
  ])('rejects %s with 400 naming the field, and accepts nothing', async (_name, body, field) => {
    const before = await ingested();
    const res = await postJson(`${running.url}/v1/events`, body);
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await ingested()).toBe(before);
  });

  it('refuses unauthenticated senders and oversized bodies', async () => {
    expect(
      (await postJson(`${running.url}/v1/events`, acwBody(), 'wrong-token-wrong-token')).status,
    ).toBe(401);
    const huge = [envelope(acwBody({ wrapupNotes: 'x'.repeat(9_000) }))];
    const big = Array.from({ length: 130 }, () => huge[0]);
    const before = await ingested();
    const res = await postJson(`${running.url}/v1/events`, big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'CB_ERR_PAYLOAD_TOO_LARGE' });
    expect(await ingested()).toBe(before);
  });
});
