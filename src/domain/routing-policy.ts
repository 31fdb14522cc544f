import { nextAgentContext, type NextAgentContext } from './next-agent-context.ts';
import type { CustomerRecord, Ownership } from './ownership.ts';

export const ROUTING_ACTIONS = ['agent', 'queue', 'vip', 'fallback', 'restart'] as const;
export type RoutingAction = (typeof ROUTING_ACTIONS)[number];

export const REASON_CODES = [
  'owner_available',
  'owner_unresolved',
  'owner_in_last_queue',
  'previous_owner_available',
  'availability_unknown',
  'owner_offline',
  'owner_not_in_queue',
  'no_history',
  'context_stale',
  'vip',
  'invalid_address',
  'crm_unavailable',
  'crm_api_reserve',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Routing settings for one queue; every field has a global default. */
export interface QueuePolicy {
  /** How long after the last wrap-up the owner still "knows the story". */
  readonly affinityWindowMs: number;
  /** Where to send customers with no usable history; empty = the flow's queue. */
  readonly fallbackQueueId: string;
  /** Where VIP customers go; empty disables the VIP route. */
  readonly vipQueueId: string;
  /** Wrap-up code ids or names that mean "not solved yet" for conversations of this queue. */
  readonly unresolvedWrapupCodes: readonly string[];
  /**
   * ACD priority added in this queue (Transfer to ACD `priority`). Genesys: a
   * higher value is served first; one point counts as one minute of waiting.
   */
  readonly basePriority: number;
  readonly unresolvedPriority: number;
  readonly vipPriority: number;
}

/** Transfer to ACD priorities are kept in this range (minutes of waiting, a day at most). */
export const MAX_PRIORITY = 1440;

export interface PolicyConfig {
  readonly defaults: QueuePolicy;
  readonly perQueue: Readonly<Record<string, Partial<QueuePolicy>>>;
  /** Genesys accepts 20 agent/score pairs (100 on request). */
  readonly maxPreferredAgents: number;
}

/**
 * What is known about an agent right now. `unknown` when Genesys credentials
 * are not configured or the lookup did not answer in time: the policy still
 * prefers the owner, because preferred-agent rings fall back by themselves.
 */
export type AgentAvailability =
  | { readonly status: 'unknown' }
  | { readonly status: 'on_queue' | 'off_queue'; readonly queueIds: readonly string[] };

export interface RoutingInput {
  readonly customer: CustomerRecord | null;
  /** The queue the flow would use by default (may be empty). */
  readonly requestedQueueId: string;
  readonly now: number;
  readonly availability: ReadonlyMap<string, AgentAvailability>;
}

/** The flat answer Architect receives: never null, arrays of primitives only. */
export interface RoutingDecision extends NextAgentContext {
  found: boolean;
  action: RoutingAction;
  agentId: string;
  agentScore: number;
  agentIds: string[];
  agentScores: number[];
  queueId: string;
  reason: ReasonCode;
  ageMinutes: number;
  lastConversationId: string;
  contactId: string;
  caseId: string;
  caseNumber: string;
  vip: boolean;
  /** ACD priority for Transfer to ACD: unresolved and VIP customers are served sooner. */
  priority: number;
}

/**
 * The policy of one queue: the defaults, with the queue's overrides merged in.
 * A lookup asks for several queues' policies; each merge is made once per
 * configuration, not on every call.
 */
export function policyForQueue(config: PolicyConfig, queueId: string): QueuePolicy {
  if (queueId === '' || !Object.hasOwn(config.perQueue, queueId)) return config.defaults;
  let merged = mergedPolicies.get(config);
  if (!merged) mergedPolicies.set(config, (merged = new Map()));
  let policy = merged.get(queueId);
  if (!policy) merged.set(queueId, (policy = { ...config.defaults, ...config.perQueue[queueId] }));
  return policy;
}

// Keyed by the configuration object, which is immutable: a new one merges afresh.
const mergedPolicies = new WeakMap<PolicyConfig, Map<string, QueuePolicy>>();

/** The decision when nothing better can be said: the fallback queue of the flow's queue. */
export function fallbackDecision(
  config: PolicyConfig,
  requestedQueueId: string,
  reason: ReasonCode,
  customer: CustomerRecord | null = null,
  now = 0,
): RoutingDecision {
  const target: Target = {
    action: 'fallback',
    queueId: fallbackQueueOf(policyForQueue(config, requestedQueueId), requestedQueueId),
    reason,
    ageMinutes: 0,
    agentIds: [],
  };
  return decisionOf(config, customer, nextAgentContext(customer, now), target);
}

/** Where a customer without usable history goes: the queue's fallback, else the flow's queue. */
const fallbackQueueOf = (requestedPolicy: QueuePolicy, requestedQueueId: string): string =>
  requestedPolicy.fallbackQueueId || requestedQueueId;

/** The ACD priority in the target queue: its base, plus its unresolved and VIP boosts. */
export function priorityFor(
  config: PolicyConfig,
  targetQueueId: string,
  unresolved: boolean,
  vip: boolean,
): number {
  const policy = policyForQueue(config, targetQueueId);
  const total =
    policy.basePriority +
    (unresolved ? policy.unresolvedPriority : 0) +
    (vip ? policy.vipPriority : 0);
  return Math.min(Math.max(Math.round(total), 0), MAX_PRIORITY);
}

type Fitness = 'fit' | 'fit_elsewhere' | 'unknown' | 'offline' | 'not_in_queue';

function fitness(
  availability: AgentAvailability | undefined,
  targetQueueId: string,
  homeQueueId: string,
): Fitness {
  if (!availability || availability.status === 'unknown') return 'unknown';
  if (availability.status === 'off_queue') return 'offline';
  if (targetQueueId === '' || availability.queueIds.includes(targetQueueId)) return 'fit';
  if (homeQueueId !== '' && availability.queueIds.includes(homeQueueId)) return 'fit_elsewhere';
  return 'not_in_queue';
}

/**
 * Ranked preferred agents: the owner first, then earlier owners still inside
 * their window, each once, without agents known to be unable to take the
 * conversation. Scores step down by 10 from 100 (Genesys rings by score). The
 * ranking starts from the current owner, whatever `recent` holds (a store may
 * list recent rows without the current one, or with it).
 */
function rankAgents(
  customer: CustomerRecord,
  input: RoutingInput,
  config: PolicyConfig,
  targetQueueId: string,
): string[] {
  const ranked: string[] = [];
  const { current, recent } = customer;
  const consider = (ownership: Ownership) => {
    if (ranked.length >= config.maxPreferredAgents) return;
    if (ownership.agentId === '' || ranked.includes(ownership.agentId)) return;
    const window = policyForQueue(config, ownership.queueId).affinityWindowMs;
    if (input.now - ownership.endedAt > window) return;
    const fit = fitness(input.availability.get(ownership.agentId), targetQueueId, '');
    if (fit === 'offline' || fit === 'not_in_queue') return;
    ranked.push(ownership.agentId);
  };
  if (current) consider(current);
  for (const ownership of recent) {
    if (current && ownership.conversationId === current.conversationId) continue;
    consider(ownership);
  }
  return ranked;
}

const scoreAt = (rank: number): number => Math.max(100 - rank * 10, 10);

/**
 * The routing policy (DESIGN §4), a pure function of the customer's record,
 * the time, the configuration and what is known about agents:
 * VIP first; stale → restart; owner fit → agent; owner unfit → an earlier
 * owner who is fit, else the last queue; no history → fallback.
 */
export function decideRoute(input: RoutingInput, config: PolicyConfig): RoutingDecision {
  const { customer, requestedQueueId, now } = input;
  if (!customer) return fallbackDecision(config, requestedQueueId, 'no_history', null, now);
  const context = nextAgentContext(customer, now);
  return decisionOf(config, customer, context, decideTarget(input, config, customer, context));
}

/** What the policy chose: where the customer goes, why, and to whom first. */
interface Target {
  readonly action: RoutingAction;
  readonly queueId: string;
  readonly reason: ReasonCode;
  readonly ageMinutes: number;
  readonly agentIds: string[];
}

/** Where the customer goes and why; the priority follows from the target queue. */
function decideTarget(
  input: RoutingInput,
  config: PolicyConfig,
  customer: CustomerRecord,
  context: NextAgentContext,
): Target {
  const { requestedQueueId, now } = input;
  const current = customer.current;
  const requestedPolicy = policyForQueue(config, requestedQueueId);
  const fallbackQueue = fallbackQueueOf(requestedPolicy, requestedQueueId);
  const ownerPolicy = current ? policyForQueue(config, current.queueId) : requestedPolicy;
  const ageMs = current ? Math.max(0, now - current.endedAt) : 0;
  const inWindow = current !== null && ageMs <= ownerPolicy.affinityWindowMs;
  const ageMinutes = Math.floor(ageMs / 60_000);

  if (customer.vip && requestedPolicy.vipQueueId !== '') {
    const vipQueue = requestedPolicy.vipQueueId;
    const agentIds = inWindow ? rankAgents(customer, input, config, vipQueue) : [];
    return { action: 'vip', queueId: vipQueue, reason: 'vip', ageMinutes, agentIds };
  }
  if (!current) {
    return {
      action: 'fallback',
      queueId: fallbackQueue,
      reason: 'no_history',
      ageMinutes,
      agentIds: [],
    };
  }
  if (!inWindow) {
    const queueId = requestedQueueId || fallbackQueue;
    return { action: 'restart', queueId, reason: 'context_stale', ageMinutes, agentIds: [] };
  }

  const targetQueue = requestedQueueId || current.queueId || fallbackQueue;
  const ownerFit = fitness(input.availability.get(current.agentId), targetQueue, current.queueId);
  if (ownerFit === 'fit' || ownerFit === 'unknown') {
    const agentIds = rankAgents(customer, input, config, targetQueue);
    // An open story is the strongest reason to go back to its owner: say so.
    const reason = context.unresolved
      ? 'owner_unresolved'
      : ownerFit === 'fit'
        ? 'owner_available'
        : 'availability_unknown';
    return { action: 'agent', queueId: targetQueue, reason, ageMinutes, agentIds };
  }
  if (ownerFit === 'fit_elsewhere') {
    const agentIds = rankAgents(customer, input, config, current.queueId);
    const reason = 'owner_in_last_queue';
    return { action: 'agent', queueId: current.queueId, reason, ageMinutes, agentIds };
  }
  const others = rankAgents(customer, input, config, targetQueue);
  if (others.length > 0) {
    const reason = 'previous_owner_available';
    return { action: 'agent', queueId: targetQueue, reason, ageMinutes, agentIds: others };
  }
  const reason = ownerFit === 'offline' ? 'owner_offline' : 'owner_not_in_queue';
  const queueId = current.queueId || fallbackQueue;
  return { action: 'queue', queueId, reason, ageMinutes, agentIds: [] };
}

/** The flat answer, built once: the target, the customer's ids, the context, and the priority in the target queue. */
function decisionOf(
  config: PolicyConfig,
  customer: CustomerRecord | null,
  context: NextAgentContext,
  target: Target,
): RoutingDecision {
  const vip = customer?.vip ?? false;
  const agentScores = target.agentIds.map((_, rank) => scoreAt(rank));
  // One literal with every field named: the answer is built once, with no copies.
  return {
    lastAgentName: context.lastAgentName,
    lastQueueName: context.lastQueueName,
    lastWrapupCode: context.lastWrapupCode,
    lastWrapupName: context.lastWrapupName,
    lastNotes: context.lastNotes,
    unresolved: context.unresolved,
    screenPopId: context.screenPopId,
    contextSummary: context.contextSummary,
    context: context.context,
    found: customer?.current != null,
    action: target.action,
    agentId: target.agentIds[0] ?? '',
    agentScore: agentScores[0] ?? 0,
    agentIds: target.agentIds,
    agentScores,
    queueId: target.queueId,
    reason: target.reason,
    ageMinutes: target.ageMinutes,
    lastConversationId: customer?.current?.conversationId ?? '',
    contactId: customer?.contactId ?? '',
    caseId: customer?.caseId ?? '',
    caseNumber: customer?.caseNumber ?? '',
    vip,
    priority: priorityFor(config, target.queueId, context.unresolved, vip),
  };
}
