// The reconcile benchmark's workload (bench/reconcile.bench.ts): realistic Genesys
// acw wrap-up events for WhatsApp conversations, as EventBridge delivers them —
// several conversations per customer, transfers and parked conversations (two
// acw events for one conversation), duplicate deliveries, shuffled order — and
// the owner each customer must end up with. Seeded, so every run sends the same.
import { acwBody, envelope } from '../test/support/bridge.ts';
import { seedPhone } from '../test/emulators/salesforce/emulator.ts';
import { seededRandom } from '../src/demo/seeded-random.ts';

export interface WorkloadOptions {
  readonly customers: number;
  /** Deliveries in total, duplicates included. */
  readonly events: number;
  readonly duplicateRate: number;
  /** Share of conversations with two acw events (transfer or park/resume). */
  readonly twoEventRate: number;
  readonly seed: number;
  readonly now: number;
}

export interface AcwEvent {
  readonly key: string;
  readonly conversationId: string;
  readonly eventTime: number;
  readonly userId: string;
  readonly envelope: Record<string, unknown>;
}

export interface Conversation {
  readonly id: string;
  readonly customer: number;
  /** Oldest first; the last one is the conversation's version (its owner's end of work). */
  readonly events: readonly AcwEvent[];
}

export interface Workload {
  readonly conversations: readonly Conversation[];
  /** What is posted, in order: every event once, some twice, shuffled. */
  readonly deliveries: readonly AcwEvent[];
  /** Per customer: the newest conversation (version, then id, as the bridge orders them). */
  readonly expected: ReadonlyMap<number, Conversation>;
  readonly transfers: number;
  readonly parked: number;
}

export const newest = (conversation: Conversation): AcwEvent => conversation.events.at(-1)!;

/** Orders conversations like the bridge's versions: end of work, then conversation id. */
export function compareConversations(a: Conversation, b: Conversation): number {
  const x = newest(a).eventTime;
  const y = newest(b).eventTime;
  if (x !== y) return x < y ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

export function buildWorkload(options: WorkloadOptions): Workload {
  const random = seededRandom(options.seed);
  const int = (n: number) => Math.floor(random() * n);
  const hex = (n: number) => Array.from({ length: n }, () => int(16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`;
  const agents = Array.from({ length: 60 }, uuid);
  const queues = Array.from({ length: 5 }, uuid);
  const wrapups = Array.from({ length: 8 }, uuid);
  const business = '+14155550100';
  const address = (customer: number) => {
    const digits = seedPhone(customer);
    const form = int(10);
    if (form === 0) return `whatsapp:+${digits}`;
    if (form === 1)
      return `+${digits.slice(0, 1)} ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
    return `+${digits}`;
  };

  // Which customer each conversation is with and its shape: every customer has
  // at least one; `twoEventRate` of them are transfers or park/resume (two acw events).
  const duplicates = Math.round(options.events * options.duplicateRate);
  const unique = options.events - duplicates;
  const plans: Array<{ customer: number; shape: 'single' | 'transfer' | 'parked' }> = [];
  let planned = 0;
  while (planned < unique) {
    const customer = plans.length < options.customers ? plans.length : int(options.customers);
    const two = random() < options.twoEventRate && planned + 2 <= unique;
    plans.push({ customer, shape: !two ? 'single' : random() < 0.6 ? 'transfer' : 'parked' });
    planned += two ? 2 : 1;
  }
  // A customer's conversations follow one another (one open WhatsApp thread at a
  // time): the newest ended in the last half hour, each earlier one 25-85 min before.
  const cursor = new Map<number, number>();
  const conversations: Conversation[] = [];
  const events: AcwEvent[] = [];
  for (const plan of [...plans].reverse()) {
    const id = uuid();
    const endedAt = cursor.get(plan.customer) ?? options.now - 60_000 - int(30 * 60_000);
    cursor.set(plan.customer, endedAt - 25 * 60_000 - int(60 * 60_000));
    const from = address(plan.customer);
    const queueId = queues[int(queues.length)]!;
    const event = (eventTime: number, userId: string, participantId: string): AcwEvent => {
      const body = acwBody({
        eventTime,
        conversationId: id,
        participantId,
        userId,
        queueId,
        ani: from,
        addressFrom: from,
        addressTo: business,
        wrapupCode: wrapups[int(wrapups.length)],
        wrapupDurationMs: 5_000 + int(60_000),
      });
      return {
        key: `${id}|${participantId}|${eventTime}`,
        conversationId: id,
        eventTime,
        userId,
        envelope: envelope(body),
      };
    };
    const last = { agent: agents[int(agents.length)]!, participant: uuid() };
    const earlier = endedAt - 60_000 - int(20 * 60_000);
    const mine: AcwEvent[] = [];
    // Transfer: the first agent's acw, then the second's. Parked and resumed by
    // the same agent: two acw events of one participant.
    if (plan.shape === 'transfer') mine.push(event(earlier, agents[int(agents.length)]!, uuid()));
    if (plan.shape === 'parked') mine.push(event(earlier, last.agent, last.participant));
    mine.push(event(endedAt, last.agent, last.participant));
    conversations.push({ id, customer: plan.customer, events: mine });
    events.push(...mine);
  }
  const transfers = plans.filter((p) => p.shape === 'transfer').length;
  const parked = plans.filter((p) => p.shape === 'parked').length;

  const deliveries = [...events];
  for (let i = 0; i < duplicates; i += 1) deliveries.push(events[int(events.length)]!);
  for (let i = deliveries.length - 1; i > 0; i -= 1) {
    const j = int(i + 1);
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }

  const expected = new Map<number, Conversation>();
  for (const conversation of conversations) {
    const best = expected.get(conversation.customer);
    if (!best || compareConversations(conversation, best) > 0)
      expected.set(conversation.customer, conversation);
  }
  return { conversations, deliveries, expected, transfers, parked };
}
