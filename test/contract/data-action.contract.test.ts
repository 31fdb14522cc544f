import { readFileSync } from 'node:fs';
import { aDecision } from '../factories/decision.factory.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { playMessageFlow } from '../emulators/genesys/message-flow-player.ts';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import type { Bridge } from '../../src/main.ts';
import { PLACEHOLDER_OPTIONS } from '../../src/genesys-artifacts/artifact-options.ts';
import { ARTIFACT_PATHS } from '../../src/genesys-artifacts/genesys-artifacts.ts';
import { DAY, HOUR, anOwnership, aPhoneKey } from '../factories/ownership.factory.ts';
import { startBridge, testEnv, TEST_TOKEN } from '../support/bridge.ts';
import { FakeStore } from '../support/fakes.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import {
  applyResponse,
  loadAction,
  nullPaths,
  renderRequest,
  runAction,
} from '../emulators/genesys/data-action-player.ts';

/**
 * The committed lookup Data Action, played the way Genesys runs it, against a
 * really running bridge (SQLite store, private Redis): every routing outcome
 * must come back through the translation map and success template as an
 * output that satisfies the action's own success schema.
 */

const CREDENTIALS = { apiKey: TEST_TOKEN };
const action = loadAction(ARTIFACT_PATHS.lookupAction);

let redis: TestRedis;
const bridges: Bridge[] = [];

async function startContractBridge(
  env: Record<string, string>,
  store?: FakeStore,
): Promise<{ bridge: Bridge; origin: string }> {
  const bridge = await startBridge(
    testEnv(redis.url, { FALLBACK_QUEUE_ID: 'queue-fallback', VIP_QUEUE_ID: 'queue-vip', ...env }),
    store ? { store } : {},
  );
  bridges.push(bridge);
  const port = await bridge.listen();
  return { bridge, origin: `http://127.0.0.1:${port}` };
}

let bridge: Bridge;
let origin: string;

beforeAll(async () => {
  redis = await startRedis();
  ({ bridge, origin } = await startContractBridge({}));
});

afterAll(async () => {
  for (const b of bridges) await b.close();
  await redis?.stop();
});

/** Runs the action like Architect would and insists on the Success path. */
async function lookup(input: Record<string, unknown>, at = origin) {
  const run = await runAction(action, at, input, CREDENTIALS);
  expect(run.status, run.body).toBe(200);
  expect(nullPaths(JSON.parse(run.body)), 'the bridge must never answer null').toEqual([]);
  if (run.outcome.path !== 'success') throw new Error(`Failure path: ${run.outcome.body}`);
  expect(Object.keys(run.outcome.output).sort()).toEqual(
    Object.keys(action.contract.output.successSchema.properties).sort(),
  );
  return run.outcome.output;
}

async function seed(digits: string, ownership: Parameters<typeof anOwnership>[0]) {
  const results = await bridge.infra.store.commit([
    { key: aPhoneKey(digits), ownership: anOwnership(ownership) },
  ]);
  expect(results[0]?.status).toBe('applied');
}

describe('lookup Data Action against a running bridge', () => {
  it('renders the request Genesys would send', () => {
    const request = renderRequest(action, { address: '+5511987650000' }, CREDENTIALS);
    expect(request.url).toBe(`${PLACEHOLDER_OPTIONS.bridgeUrl}/v1/routing/lookup`);
    expect(request.method).toBe('POST');
    expect(request.headers).toEqual({
      'Content-Type': 'application/json',
      'X-Api-Key': TEST_TOKEN,
    });
    expect(JSON.parse(request.body)).toEqual({ address: '+5511987650000' });
  });

  it('found: routes to the owner with a ranked preferred-agent list', async () => {
    await seed('5511987650001', {
      agentId: 'agent-ana',
      queueId: 'queue-support',
      endedAt: Date.now() - HOUR,
    });
    const output = await lookup({
      address: '+55 11 98765-0001',
      conversationId: 'conv-asking-1',
      queueId: 'queue-support',
      isNewConversation: false,
    });
    expect(output).toMatchObject({
      found: true,
      action: 'agent',
      agentId: 'agent-ana',
      agentScore: 100,
      agentIds: ['agent-ana'],
      agentScores: [100],
      queueId: 'queue-support',
      reason: 'availability_unknown',
      vip: false,
    });
    expect(output.ageMinutes).toBeGreaterThanOrEqual(59);
  });

  it('not found: falls back with no_history and empty, non-null context', async () => {
    const output = await lookup({ address: 'whatsapp:+5511987650002', queueId: 'queue-support' });
    expect(output).toEqual(aDecision({ queueId: 'queue-fallback' }));
  });

  it('stale: an ownership older than the window restarts the journey', async () => {
    await seed('5511987650003', { endedAt: Date.now() - 8 * DAY });
    const output = await lookup({
      address: '5511987650003',
      queueId: 'queue-support',
      isNewConversation: true,
    });
    expect(output).toMatchObject({
      found: true,
      action: 'restart',
      reason: 'context_stale',
      agentIds: [],
    });
  });

  it('VIP: a flagged customer goes to the VIP queue', async () => {
    const store = bridge.infra.store;
    if (!(store instanceof SqliteOwnershipStore))
      throw new Error('expected the embedded SQLite store');
    await store.setProfile(aPhoneKey('5511987650004'), { vip: true, contactId: '003VIP' });
    const output = await lookup({ address: 'tel:+5511987650004', queueId: 'queue-support' });
    expect(output).toMatchObject({
      action: 'vip',
      queueId: 'queue-vip',
      reason: 'vip',
      vip: true,
      contactId: '003VIP',
    });
  });

  it('invalid address: still a Success with reason invalid_address', async () => {
    const output = await lookup({ address: 'not a phone number', queueId: 'queue-support' });
    expect(output).toMatchObject({
      found: false,
      action: 'fallback',
      reason: 'invalid_address',
      queueId: 'queue-fallback',
    });
  });

  it('escapes a hostile address into valid JSON that reaches the bridge intact', async () => {
    const hostile = 'x"}, "address": "+5511987654321", "y": "\\\\" \n\t$input #end';
    const request = renderRequest(
      action,
      { address: hostile, conversationId: 'c"1\\' },
      CREDENTIALS,
    );
    expect(JSON.parse(request.body)).toEqual({ address: hostile, conversationId: 'c"1\\' });
    const output = await lookup({ address: hostile });
    expect(output.reason).toBe('invalid_address');
  });

  it('optional inputs left out are not sent, so the bridge applies its defaults', () => {
    const body = JSON.parse(renderRequest(action, { address: '5511987650000' }, CREDENTIALS).body);
    expect(Object.keys(body)).toEqual(['address']);
    const all = renderRequest(
      action,
      { address: 'a', conversationId: 'c', queueId: 'q', isNewConversation: false },
      CREDENTIALS,
    );
    expect(JSON.parse(all.body)).toEqual({
      address: 'a',
      conversationId: 'c',
      queueId: 'q',
      isNewConversation: false,
    });
  });

  it('a wrong credential takes the Failure path (401)', async () => {
    const run = await runAction(
      action,
      origin,
      { address: '5511987650000' },
      { apiKey: 'wrong-token-wrong-token' },
    );
    expect(run.status).toBe(401);
    expect(run.outcome.path).toBe('failure');
  });
});

describe('the committed lookup action and the committed flow, played together', () => {
  const flow = parse(
    readFileSync(new URL(`../../genesys/${ARTIFACT_PATHS.inboundFlow}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const fallbackQueue = String(PLACEHOLDER_OPTIONS.fallbackQueueId);

  it('an unresolved story: the owner preferred at a raised priority, the agent sees it, Salesforce pops the record', async () => {
    const number = '5511987650010';
    await seed(number, {
      agentId: 'agent-ana',
      agentName: 'Ana Souza',
      queueId: 'queue-support',
      endedAt: Date.now() - 2 * HOUR,
      unresolved: true,
      notes: 'Refund pending; promised a callback.',
    });
    const store = bridge.infra.store;
    if (!(store instanceof SqliteOwnershipStore))
      throw new Error('expected the embedded SQLite store');
    await store.setProfile(aPhoneKey(number), {
      contactId: '003CTX000001',
      caseId: '500CTX000001',
      caseNumber: '00001042',
    });
    const output = await lookup({ address: `+${number}`, queueId: 'queue-support' });
    expect(output).toMatchObject({
      action: 'agent',
      reason: 'owner_unresolved',
      lastAgentName: 'Ana Souza',
      unresolved: true,
      screenPopId: '500CTX000001',
      caseNumber: '00001042',
    });
    expect(output.priority).toBeGreaterThan(0);
    expect(output.contextSummary).toContain('Ana Souza');
    expect(output.lastNotes).toContain('Refund pending');

    const run = playMessageFlow(
      flow,
      {
        queues: { 'queue-support': 'Support', [fallbackQueue]: 'Fallback' },
        users: new Set(['agent-ana']),
      },
      { path: 'success', output },
    );
    expect(run.routedBy).toMatchObject({
      queueId: 'queue-support',
      preferredAgents: [{ agent: 'agent-ana', score: 100 }],
      priority: output.priority,
    });
    expect(run.participantData).toMatchObject({
      'Continuity.reason': 'owner_unresolved',
      'Continuity.lastAgentName': 'Ana Souza',
      'Continuity.lastNotes': output.lastNotes,
      'Continuity.caseNumber': '00001042',
      SF_URLPop: '500CTX000001',
    });
  });

  it('a new customer: the fallback decision, no screen pop, still an acknowledgement', async () => {
    const output = await lookup({ address: '+5511987650011', queueId: 'queue-support' });
    const run = playMessageFlow(
      flow,
      { queues: { 'queue-fallback': 'Fallback', [fallbackQueue]: 'Fallback' }, users: new Set() },
      { path: 'success', output },
    );
    expect(run.routedBy?.queueId).toBe(fallbackQueue);
    expect(run.participantData).not.toHaveProperty('SF_URLPop');
    expect(run.participantData['Continuity.reason']).toBe('no_history');
    expect(run.messages).toEqual([PLACEHOLDER_OPTIONS.acknowledgement]);
  });
});

describe('CRM down: the bridge still answers a valid fallback', () => {
  it('a store that throws gives crm_unavailable', async () => {
    const failing = new FakeStore();
    failing.failWith = new Error('Salesforce is down');
    const { origin: at } = await startContractBridge({}, failing);
    const output = await lookup({ address: '+5511987650005', queueId: 'queue-support' }, at);
    expect(output).toMatchObject({
      action: 'fallback',
      reason: 'crm_unavailable',
      queueId: 'queue-fallback',
    });
  });

  it('a store that hangs gives crm_unavailable within the deadline, well inside the action timeout', async () => {
    const hanging = new FakeStore();
    hanging.delayMs = 10_000;
    const { origin: at } = await startContractBridge({ LOOKUP_DEADLINE_MS: '300' }, hanging);
    const started = Date.now();
    const output = await lookup({ address: '+5511987650006', queueId: 'queue-support' }, at);
    expect(output).toMatchObject({ action: 'fallback', reason: 'crm_unavailable' });
    expect(Date.now() - started).toBeLessThan(action.config.timeoutSeconds * 1000);
  });
});

describe('translation defaults, as Genesys applies them', () => {
  it('an empty body resolves every output to its default, which satisfies the schema', () => {
    const outcome = applyResponse(action, 200, '{}');
    if (outcome.path !== 'success') throw new Error(outcome.body);
    expect(outcome.output).toMatchObject({ found: false, action: '', agentIds: [], agentScore: 0 });
  });

  it('a null is not defaulted: the action would fail, so the bridge must never send one', () => {
    const outcome = applyResponse(action, 200, JSON.stringify({ found: null }));
    expect(outcome.path).toBe('failure');
  });

  it('a non-2xx answer takes the Failure path', () => {
    expect(applyResponse(action, 503, '{"code":"x"}').path).toBe('failure');
  });
});
