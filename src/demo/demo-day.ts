/**
 * A realistic day (and the ten days before it) of WhatsApp wrap-ups for the
 * demo: several agents and queues, customers who come back, transfers, parked
 * conversations that wrap up twice, duplicate deliveries, out-of-order
 * delivery, stale customers and VIPs. Deterministic for a given seed.
 */
import { seededRandom } from './seeded-random.ts';

export interface DemoAgent {
  readonly id: string;
  readonly name: string;
  readonly queueId: string;
  /** Simulated presence: agents off shift are not routed to. */
  readonly onShift: boolean;
}

export interface DemoCustomer {
  readonly phone: string;
  readonly vip: boolean;
}

export interface DemoDay {
  readonly agents: readonly DemoAgent[];
  readonly queues: Readonly<Record<'support' | 'sales' | 'vip' | 'fallback' | 'triage', string>>;
  readonly customers: readonly DemoCustomer[];
  /** EventBridge envelopes in delivery order (shuffled, with duplicates). */
  readonly deliveries: readonly Record<string, unknown>[];
  /** Newest conversation per customer phone, for checking the result. */
  readonly newestByPhone: ReadonlyMap<
    string,
    { conversationId: string; agentId: string; endedAt: number }
  >;
  readonly stats: {
    conversations: number;
    transfers: number;
    parked: number;
    duplicates: number;
    events: number;
    /** Deliveries arriving after a newer event of the same customer (what the bridge must not be fooled by). */
    outOfOrder: number;
  };
}

const uuid = (rand: () => number): string =>
  'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = Math.floor(rand() * 16);
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });

const NAMES = [
  'Ana Souza',
  'Bruno Lima',
  'Carla Dias',
  'Diego Alves',
  'Elisa Rocha',
  'Felipe Costa',
  'Gabi Nunes',
  'Hugo Reis',
  'Iara Melo',
  'João Pires',
  'Karen Lopes',
  'Lucas Ramos',
];

export function generateDemoDay(options: {
  now: number;
  customers?: number;
  seed?: number;
}): DemoDay {
  const rand = seededRandom(options.seed ?? 20261125);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const queues = {
    support: uuid(rand),
    sales: uuid(rand),
    vip: uuid(rand),
    fallback: uuid(rand),
    triage: uuid(rand),
  };
  const agents: DemoAgent[] = NAMES.map((name, i) => ({
    id: uuid(rand),
    name,
    queueId: i % 3 === 2 ? queues.sales : queues.support,
    onShift: i % 4 !== 3, // a quarter of the team is off shift right now
  }));
  const customers: DemoCustomer[] = Array.from({ length: options.customers ?? 300 }, (_, i) => ({
    phone: `55119${String(80_000_000 + i * 7919).padStart(8, '0')}`,
    vip: i % 25 === 0,
  }));

  const events: Record<string, unknown>[] = [];
  const newestByPhone = new Map<
    string,
    { conversationId: string; agentId: string; endedAt: number }
  >();
  const stats = {
    conversations: 0,
    transfers: 0,
    parked: 0,
    duplicates: 0,
    events: 0,
    outOfOrder: 0,
  };
  const DAY = 86_400_000;

  for (const customer of customers) {
    // Most customers last wrote hours ago; some days ago; a few beyond the 7-day window.
    const lastAgo = rand() < 0.12 ? (8 + rand() * 3) * DAY : rand() * 3 * DAY;
    const count = 1 + Math.floor(rand() * 3);
    for (let c = 0; c < count; c++) {
      const endedAt = Math.round(options.now - lastAgo - c * (0.5 + rand() * 2) * DAY);
      const conversationId = uuid(rand);
      const first = pick(agents);
      const transferred = rand() < 0.15;
      const parked = !transferred && rand() < 0.1;
      const owner = transferred ? pick(agents.filter((a) => a.id !== first.id)) : first;
      stats.conversations++;
      const acw = (agent: DemoAgent, at: number, participant: string) => ({
        eventTime: at,
        conversationId,
        participantId: participant,
        mediaType: 'MESSAGE',
        messageType: 'WHATSAPP',
        direction: 'INBOUND',
        ani: `+${customer.phone}`,
        addressFrom: `+${customer.phone}`,
        addressTo: '+551140040000',
        userId: agent.id,
        queueId: agent.queueId,
        wrapupCode: uuid(rand),
      });
      if (transferred) {
        stats.transfers++;
        events.push(acw(first, endedAt - 20 * 60_000, uuid(rand)));
      }
      if (parked) {
        stats.parked++;
        events.push(acw(owner, endedAt - 3 * 3_600_000, uuid(rand)));
      }
      events.push(acw(owner, endedAt, uuid(rand)));
      const best = newestByPhone.get(customer.phone);
      if (!best || endedAt > best.endedAt)
        newestByPhone.set(customer.phone, { conversationId, agentId: owner.id, endedAt });
    }
  }

  const deliveries = events.map(toEnvelope);
  for (const envelope of [...deliveries]) {
    if (rand() < 0.1) {
      deliveries.push(envelope);
      stats.duplicates++;
    }
  }
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  stats.events = deliveries.length;
  stats.outOfOrder = countOutOfOrder(deliveries);
  return { agents, queues, customers, deliveries, newestByPhone, stats };
}

function toEnvelope(body: Record<string, unknown>): Record<string, unknown> {
  const at = new Date(body.eventTime as number).toISOString();
  return {
    version: '0',
    id: `${String(body.conversationId)}-${String(body.participantId)}`,
    'detail-type': 'v2.detail.events.conversation.{id}.acw',
    source: 'aws.partner/genesys.com/cloud/demo/continuity',
    account: '123456789',
    time: at,
    region: 'sa-east-1',
    resources: [],
    detail: {
      topicName: `v2.detail.events.conversation.${String(body.conversationId)}.acw`,
      version: '2',
      eventBody: body,
      metadata: { CorrelationId: String(body.participantId) },
      timestamp: at,
    },
  };
}

/** Deliveries whose event is older than one already delivered for the same customer. */
export function countOutOfOrder(deliveries: readonly Record<string, unknown>[]): number {
  const newest = new Map<string, number>();
  let count = 0;
  for (const envelope of deliveries) {
    const detail = envelope.detail as { eventBody: { addressFrom: string; eventTime: number } };
    const { addressFrom, eventTime } = detail.eventBody;
    const seen = newest.get(addressFrom);
    if (seen !== undefined && eventTime < seen) count++;
    else newest.set(addressFrom, eventTime);
  }
  return count;
}
