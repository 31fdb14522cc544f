import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, waitUntilReady } from '../../src/adapters/redis/connections.redis.ts';
import { RedisEventLog } from '../../src/adapters/redis/event-log.redis.ts';
import { SqliteOwnershipStore } from '../../src/adapters/sqlite/ownership-store.sqlite.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { OwnershipStore } from '../../src/ports/ownership-store.port.ts';
import { noNames } from '../../src/reconcile/conversation-source.port.ts';
import { eventIdentity, type WrapUpEvent } from '../../src/reconcile/events.contract.ts';
import { IngestService } from '../../src/reconcile/ingest.service.ts';
import { reconcileConversation } from '../../src/reconcile/reconcile.processor.ts';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../emulators/salesforce/emulator.ts';
import { MemoryCache } from '../support/fakes.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import { storeOnEmulator } from '../emulators/salesforce/emulator-store.ts';

/**
 * Issue 10 as a property: whatever the order, duplication and timing of the
 * events — future-dated noise, agent events arriving after customer.end,
 * redeliveries that contradict the first, numbers spelled in every form, and
 * (on Salesforce) a Contact created mid-stream — each customer's stored owner
 * is the last handler of the customer's newest conversation, its version the
 * conversation's latest trusted end. Runs on SQLite and on the Salesforce
 * emulator, through the real event log (Redis), ingest and reconcile processor.
 */

const MINUTE = 60_000;
const SKEW = 300_000;
const YEAR_2099 = Date.parse('2099-01-01T00:00:00Z');

let redis: TestRedis;
let connection: Redis;
// One plain server here: the topology factory answers a Redis, not a Cluster.
let run = 0;
/** How many Contact Last_* checks the Salesforce runs made (proof the check is exercised). */
let contactChecks = 0;

beforeAll(async () => {
  redis = await startRedis();
  connection = createRedis(redis.url, 'cache') as Redis;
  await waitUntilReady(connection, 2000);
});
afterAll(async () => {
  connection?.disconnect();
  await redis?.stop();
});

/** A Brazilian mobile, in the forms people, WhatsApp and CRMs write it. */
const spellings = (customer: number) => {
  const subscriber = `8765${String(4300 + customer)}`;
  return [
    `+55 11 9${subscriber.slice(0, 4)}-${subscriber.slice(4)}`,
    `55119${subscriber}`,
    `5511${subscriber}`, // before the ninth digit, as old WhatsApp accounts send it
    `whatsapp:+5511${subscriber}`,
  ];
};
const canonical = (customer: number) => `55119${`8765${String(4300 + customer)}`}`;

const conversationArb = fc.record({
  customer: fc.integer({ min: 0, max: 3 }),
  // Handlers in handling order; each stays in ACW a while after handing over.
  agents: fc.array(
    fc.record({
      agent: fc.integer({ min: 0, max: 4 }),
      handledMs: fc.integer({ min: 1_000, max: 20 * MINUTE }),
      acwMs: fc.integer({ min: 0, max: 30 * MINUTE }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  startedAgo: fc.integer({ min: 2 * 60 * MINUTE, max: 5 * 24 * 60 * MINUTE }),
  futureCustomerEnd: fc.boolean(),
  futureAcw: fc.boolean(),
});

const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('deliver' as const), event: fc.nat(), spelling: fc.nat(3) }),
  fc.record({ kind: fc.constant('contradict' as const), event: fc.nat(), agent: fc.nat(4) }),
  fc.record({ kind: fc.constant('reconcile' as const), conversation: fc.nat() }),
  fc.record({ kind: fc.constant('createContact' as const), customer: fc.nat(3) }),
);

const scenarioArb = fc.record({
  conversations: fc.array(conversationArb, { minLength: 1, maxLength: 6 }),
  /** Customers whose Contact exists from the start (others may get one mid-stream). */
  contactsAtStart: fc.subarray([0, 1, 2, 3]),
  steps: fc.array(stepArb, { minLength: 5, maxLength: 60 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface Harness {
  store: OwnershipStore;
  createContact?: (customer: number) => void;
  /** The Contact's `Last_*` as stored (Salesforce), or undefined without a Contact. */
  contactLast?: (
    customer: number,
  ) => { conversationId: string; endedAt: number } | null | undefined;
  close(): Promise<void>;
}

async function runScenario(scenario: Scenario, harness: Harness): Promise<void> {
  run += 1;
  let now = Date.parse('2026-11-25T12:00:00Z') + run * 10 * 24 * 60 * MINUTE;
  const clock = { now: () => now };
  const prefix = `{timing-${run}}`;
  const events = new RedisEventLog(connection, prefix);
  const queued = new Set<string>();
  const ingest = new IngestService({
    events,
    queue: { enqueue: async (jobs) => jobs.forEach((j) => queued.add(j.conversationId)) },
    clock,
    maxEventSkewMs: SKEW,
  });
  // Every committed ownership, in order, and from which commit on each customer had a Contact.
  const commitLog: Array<{ customer: number; conversationId: string; endedAt: number }> = [];
  const contactSince = new Map<number, number>();
  const customerOf = (value: string) =>
    scenario.conversations.findIndex((_, c) => canonical(c) === value);
  const deps = {
    events,
    conversations: null,
    names: noNames,
    lock: { withLock: <T>(_id: string, work: () => Promise<T>) => work() },
    committer: {
      commit: async (change: Parameters<OwnershipStore['commit']>[0][number]) => {
        const [result] = await harness.store.commit([change]);
        commitLog.push({
          customer: customerOf(change.key.value),
          conversationId: change.ownership.conversationId,
          endedAt: change.ownership.endedAt,
        });
        return result!;
      },
    },
    cache: new MemoryCache(),
    ownerRule: 'last' as const,
    logger: createLogger('silent'),
    clock,
    maxEventSkewMs: SKEW,
  };

  // Every event of every conversation, each agent's user.end and acw, then customer.end.
  const convId = (i: number) => `run${run}-conv${i}`;
  const all: Array<{ event: WrapUpEvent; customer: number }> = [];
  scenario.conversations.forEach((c, i) => {
    let at = now - c.startedAgo;
    c.agents.forEach((a, rank) => {
      at += a.handledMs;
      const body = {
        conversationId: convId(i),
        participantId: `p${rank}`,
        mediaType: 'MESSAGE',
        messageType: 'WHATSAPP',
        userId: `agent-${a.agent}`,
        queueId: 'q1',
      };
      const acwAt = c.futureAcw && rank === 0 ? YEAR_2099 : at + a.acwMs;
      all.push({
        customer: c.customer,
        event: { kind: 'user.end', topicName: 'x', body: { ...body, eventTime: at } },
      });
      all.push({
        customer: c.customer,
        event: {
          kind: 'acw',
          topicName: 'x',
          body: { ...body, eventTime: acwAt, wrapupDurationMs: a.acwMs },
        },
      });
    });
    all.push({
      customer: c.customer,
      event: {
        kind: 'customer.end',
        topicName: 'x',
        body: {
          conversationId: convId(i),
          participantId: 'customer',
          mediaType: 'MESSAGE',
          messageType: 'WHATSAPP',
          eventTime: c.futureCustomerEnd ? YEAR_2099 : at + 1000,
        },
      },
    });
  });
  const withTopic = (event: WrapUpEvent): WrapUpEvent => ({
    ...event,
    topicName: `v2.detail.events.conversation.${event.body.conversationId}.${event.kind}`,
  });

  // The oracle's memory: the first delivered content of each identity, and when.
  const firstDelivery = new Map<
    string,
    { event: WrapUpEvent; receivedAt: number; customer: number }
  >();
  const deliver = async (index: number, spelling: number, userId?: string) => {
    const { event, customer } = all[index % all.length]!;
    const address = spellings(customer)[spelling % 4]!;
    const body = {
      ...event.body,
      addressFrom: address,
      ...(userId && event.body.userId && { userId }),
    };
    const delivered = withTopic({ ...event, body });
    now += 1000;
    const result = await ingest.ingest([delivered], 0);
    const identity = eventIdentity(delivered);
    if (!firstDelivery.has(identity)) {
      expect(result.accepted).toBe(1);
      firstDelivery.set(identity, { event: delivered, receivedAt: now, customer });
    } else {
      expect(result.accepted).toBe(0);
    }
  };

  for (const customer of scenario.contactsAtStart) {
    harness.createContact?.(customer);
    contactSince.set(customer, 0);
  }
  for (const step of scenario.steps) {
    if (step.kind === 'deliver') await deliver(step.event, step.spelling);
    else if (step.kind === 'contradict') await deliver(step.event, 0, `agent-other-${step.agent}`);
    else if (step.kind === 'createContact') {
      harness.createContact?.(step.customer);
      if (!contactSince.has(step.customer)) contactSince.set(step.customer, commitLog.length);
    } else {
      const conversationId = convId(step.conversation % scenario.conversations.length);
      await reconcileConversation({ conversationId, source: 'event', enqueuedAt: now }, deps);
    }
  }
  // Every event arrives at least once in the end (Genesys retries), and the queue drains.
  for (let i = 0; i < all.length; i++) await deliver(i, i);
  for (const conversationId of queued) {
    await reconcileConversation({ conversationId, source: 'event', enqueuedAt: now }, deps);
  }

  // Oracle: per conversation, the last handler by end of handling and the
  // latest trusted end of agent work; per customer, the newest conversation.
  const trusted = (d: { event: WrapUpEvent; receivedAt: number }) =>
    d.event.body.eventTime > d.receivedAt + SKEW ? d.receivedAt : d.event.body.eventTime;
  // The implementation's rule within one participant: its agent is the one its
  // latest event names (one participant is one agent; a contradicting first
  // delivery is what the bridge believes).
  const participants = new Map<
    string,
    Array<{ event: WrapUpEvent; receivedAt: number; customer: number }>
  >();
  for (const d of firstDelivery.values()) {
    if (d.event.kind === 'customer.end') continue;
    const id = `${d.event.body.conversationId}|${d.event.body.participantId}`;
    participants.set(id, [...(participants.get(id) ?? []), d]);
  }
  const perConversation = new Map<
    string,
    { customer: number; agentId: string; handledUntil: number; endedAt: number }
  >();
  for (const deliveries of participants.values()) {
    deliveries.sort((a, b) => a.event.body.eventTime - b.event.body.eventTime);
    const latest = deliveries.at(-1)!;
    const userEnd = deliveries.find((d) => d.event.kind === 'user.end');
    const acw = deliveries.find((d) => d.event.kind === 'acw')!;
    const handledUntil = userEnd
      ? trusted(userEnd)
      : trusted(acw) - (acw.event.body.wrapupDurationMs ?? 0);
    const endedAt = Math.max(...deliveries.map(trusted));
    const id = latest.event.body.conversationId;
    const seen = perConversation.get(id) ?? {
      customer: latest.customer,
      agentId: '',
      handledUntil: -Infinity,
      endedAt: 0,
    };
    if (handledUntil > seen.handledUntil) {
      Object.assign(seen, { agentId: latest.event.body.userId, handledUntil });
    }
    seen.endedAt = Math.max(seen.endedAt, Math.floor(endedAt / 1000) * 1000);
    perConversation.set(id, seen);
  }
  const newest = new Map<number, { conversationId: string; agentId: string; endedAt: number }>();
  for (const [conversationId, c] of perConversation) {
    const best = newest.get(c.customer);
    const wins =
      !best ||
      c.endedAt > best.endedAt ||
      (c.endedAt === best.endedAt && conversationId > best.conversationId);
    if (wins) newest.set(c.customer, { conversationId, agentId: c.agentId, endedAt: c.endedAt });
  }
  for (const [customer, expected] of newest) {
    const record = await harness.store.findCustomer({ kind: 'phone', value: canonical(customer) });
    expect(record?.current, `customer ${customer}`).toMatchObject(expected);
  }
  // The Contact's own Last_* (what the agent's card shows) went through its
  // compare-and-set: after the last commit made while the Contact existed, they
  // hold the newest ownership committed for that customer up to then.
  for (const [customer, since] of contactSince) {
    if (!harness.contactLast) break;
    const committed = commitLog.map((entry, at) => ({ ...entry, at }));
    const lastWithContact = committed
      .filter((e) => e.customer === customer && e.at >= since)
      .at(-1);
    if (!lastWithContact) continue;
    const best = committed
      .filter((e) => e.customer === customer && e.at <= lastWithContact.at)
      .reduce((a, b) =>
        b.endedAt > a.endedAt || (b.endedAt === a.endedAt && b.conversationId > a.conversationId)
          ? b
          : a,
      );
    contactChecks += 1;
    expect(harness.contactLast(customer), `Contact of customer ${customer}`).toEqual({
      conversationId: best.conversationId,
      endedAt: best.endedAt,
    });
  }
}

const scenarios = { numRuns: 12, endOnFailure: true };

describe('the right owner in every timing and identity case', () => {
  it('on the SQLite store', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const store = new SqliteOwnershipStore(':memory:');
        try {
          await runScenario(scenario, { store, close: () => store.close() });
        } finally {
          await store.close();
        }
      }),
      scenarios,
    );
  }, 240_000);

  it('on the Salesforce emulator, with Contacts created mid-stream (holding the 12-digit form)', async () => {
    let emulator: SalesforceEmulator | undefined;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        emulator = await startSalesforceEmulator({ clientId: 'prop', clientSecret: 'prop-secret' });
        const store = storeOnEmulator(emulator, { clientId: 'prop', clientSecret: 'prop-secret' });
        const org = emulator.org;
        const created = new Map<number, string>();
        // An admin creates the Contact, holding the 12-digit (pre-ninth-digit) form.
        const createContact = (customer: number) => {
          if (created.has(customer)) return;
          const id = org.seed('Contact', {
            LastName: 'Created mid-stream',
            WhatsApp_Number__c: spellings(customer)[2]!,
          });
          created.set(customer, id);
        };
        const contactLast = (customer: number) => {
          const id = created.get(customer);
          if (!id) return undefined;
          const row = emulator!.tables.get('Contact')!.get(id)!;
          const conversationId = row.Last_Conversation_Id__c;
          if (typeof conversationId !== 'string' || conversationId === '') return null;
          return { conversationId, endedAt: Number(row.Last_Interaction_At__c) };
        };
        try {
          await runScenario(scenario, {
            store,
            createContact,
            contactLast,
            close: () => store.close(),
          });
        } finally {
          await store.close();
          await emulator.close();
        }
      }),
      { ...scenarios, numRuns: 10 },
    );
    expect(contactChecks).toBeGreaterThan(5);
  }, 240_000);
});
