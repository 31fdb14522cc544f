import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import { LookupResponse } from '../../src/routing/lookup.contract.ts';
import type { Bridge } from '../../src/main.ts';
import { runCli } from '../cli/cli-harness.ts';
import { anOwnership, aPhoneKey } from '../factories/ownership.factory.ts';
import { acwBody, envelope, startBridge, testEnv } from '../support/bridge.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

const AGENT = '91979899-5186-4cee-beaa-1abafca462f9';
const QUEUE = '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec';
const CONVERSATION = '9bd13240-8441-404f-bd30-a6a8babba5d4';
const REPLAY_AGENT = 'c0a1e2b3-0000-4000-8000-00000000beef';

let redis: TestRedis;
let env: Record<string, string>;
let worker: Bridge | undefined;

beforeAll(async () => {
  redis = await startRedis();
  env = testEnv(redis.url);
  const store = new SqliteOwnershipStore(env.SQLITE_PATH!);
  await store.commit([
    {
      key: aPhoneKey('5511987650001'),
      ownership: anOwnership({
        conversationId: CONVERSATION,
        agentId: AGENT,
        queueId: QUEUE,
        endedAt: Date.now() - 42 * 60_000 - 10_000,
      }),
    },
  ]);
  await store.close();
});
afterAll(async () => {
  await worker?.close();
  await redis?.stop();
});

describe('continuity-bridge lookup', () => {
  it('answers a known customer as the flow would, without printing the number', async () => {
    const result = await runCli(['lookup', '+55 11 98765-0001', '--queue-id', QUEUE], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // No Genesys credentials: availability is unknown, the owner is still preferred.
    expect(result.stdout).toContain(
      'agent → agent 91979899… in queue 8cf75217… (reason availability_unknown, last conversation 9bd13240…, 42 min ago)',
    );
    expect(result.stdout).toContain(`${AGENT} (`);
    expect(result.stdout).not.toContain('5511987650001');
    expect(result.stdout).not.toContain('\u001b['); // not a terminal: no colour
  });

  it('--json prints the Data Action response; an unknown number gets no_history (exit 0)', async () => {
    const known = await runCli(['lookup', 'whatsapp:+5511987650001', '--json'], env);
    expect(LookupResponse.parse(JSON.parse(known.stdout))).toMatchObject({
      found: true,
      action: 'agent',
      agentId: AGENT,
      lastConversationId: CONVERSATION,
    });
    const unknown = await runCli(['lookup', '+5511987659999', '--json', '--queue-id', QUEUE], env);
    expect(unknown.code).toBe(0);
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      found: false,
      action: 'fallback',
      reason: 'no_history',
      queueId: QUEUE,
    });
  });

  it('an address that is not a number is still a decision (invalid_address, exit 0)', async () => {
    const result = await runCli(['lookup', 'not-a-number'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("fallback → the flow's queue (reason invalid_address)");
    expect(result.stderr).toContain('not a WhatsApp address');
  });
});

describe('continuity-bridge replay', () => {
  it('ingests the good lines, reports the bad one, and a worker reconciles them', async () => {
    worker = await startBridge(env, {}, { web: false, worker: true });
    const good = acwBody({
      conversationId: 'conv-replay-1',
      addressFrom: '+5511987650002',
      ani: '+5511987650002',
      userId: REPLAY_AGENT,
      queueId: QUEUE,
    });
    const bare = acwBody({
      conversationId: 'conv-replay-2',
      addressFrom: '+5511987650003',
      ani: '+5511987650003',
    });
    const voice = acwBody({ conversationId: 'conv-voice', mediaType: 'VOICE' });
    const file = join(dirname(env.SQLITE_PATH!), 'events.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify(envelope(good)),
        '{"detail": {"topicName": "v2.detail.events.conversation.x.acw", +5511987650009',
        JSON.stringify(bare),
        JSON.stringify(envelope(good)),
        JSON.stringify(envelope(voice)),
        '',
      ].join('\n'),
    );

    const result = await runCli(['replay', file], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('accepted 2, duplicates 1, ignored 1, rejected 1 (line 2)\n');
    expect(result.stderr).toContain('json-lines, 5 lines');
    expect(result.stderr).toMatch(/line 2: rejected: not valid JSON/);
    expect(result.stderr).not.toContain('5511987650009');

    const key = aPhoneKey('5511987650002');
    await expect
      .poll(async () => (await worker!.infra.store.findCustomer(key))?.current?.agentId, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(REPLAY_AGENT);
    const lookup = await runCli(['lookup', '+5511987650002', '--queue-id', QUEUE], env);
    expect(lookup.stdout).toContain('agent → agent c0a1e2b3… in queue 8cf75217…');
    expect(lookup.stdout).toContain('last conversation conv-rep…');

    const again = await runCli(['replay', file, '--dry-run'], env);
    expect(again.stdout).toBe('dry run: valid 3, ignored 1, rejected 1 (line 2)\n');
  });
});
