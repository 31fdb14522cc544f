import {
  nextAgentContext,
  withinLookupBudget,
  type NextAgentContext,
} from './next-agent-context.ts';
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

export function policyForQueue(config: PolicyConfig, queueId: string): QueuePolicy {
  const override = queueId === '' ? undefined : config.perQueue[queueId];
  return { ...config.defaults, ...override };
}

/** The decision when nothing better can be said: the fallback queue of the flow's queue. */
export function fallbackDecision(
  config: PolicyConfig,
  requestedQueueId: string,
  reason: ReasonCode,
  customer: CustomerRecord | null = null,
  now = 0,
): RoutingDecision {
  const policy = policyForQueue(config, requestedQueueId);
  const context = nextAgentContext(customer, now);
  const queueId = policy.fallbackQueueId || requestedQueueId;
  return {
    ...context,
    found: customer?.current != null,
    action: 'fallback',
    agentId: '',
    agentScore: 0,
    agentIds: [],
    agentScores: [],
    queueId,
    reason,
    ageMinutes: 0,
    lastConversationId: customer?.current?.conversationId ?? '',
    contactId: customer?.contactId ?? '',
    caseId: customer?.caseId ?? '',
    caseNumber: customer?.caseNumber ?? '',
    vip: customer?.vip ?? false,
    priority: priorityFor(config, queueId, context.unresolved, customer?.vip ?? false),
  };
}

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
 * conversation. Scores step down by 10 from 100 (Genesys rings by score).
 */
export function rankAgents(
  recent: readonly Ownership[],
  input: RoutingInput,
  config: PolicyConfig,
  targetQueueId: string,
): string[] {
  const ranked: string[] = [];
  for (const ownership of recent) {
    if (ranked.length >= config.maxPreferredAgents) break;
    if (ownership.agentId === '' || ranked.includes(ownership.agentId)) continue;
    const window = policyForQueue(config, ownership.queueId).affinityWindowMs;
    if (input.now - ownership.endedAt > window) continue;
    const fit = fitness(input.availability.get(ownership.agentId), targetQueueId, '');
    if (fit === 'offline' || fit === 'not_in_queue') continue;
    ranked.push(ownership.agentId);
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
  const current = customer?.current ?? null;
  if (!customer) return fallbackDecision(config, requestedQueueId, 'no_history', null, now);
  return withinLookupBudget(withPriority(config, decideTarget(input, config, customer, current)));
}

/** Where the customer goes and why; the priority follows from the target queue. */
function decideTarget(
  input: RoutingInput,
  config: PolicyConfig,
  customer: CustomerRecord,
  current: Ownership | null,
): RoutingDecision {
  const { requestedQueueId, now } = input;
  const base = fallbackDecision(config, requestedQueueId, 'no_history', customer, now);
  const requestedPolicy = policyForQueue(config, requestedQueueId);
  const ownerPolicy = current ? policyForQueue(config, current.queueId) : requestedPolicy;
  const ageMs = current ? Math.max(0, now - current.endedAt) : 0;
  const inWindow = current !== null && ageMs <= ownerPolicy.affinityWindowMs;
  const withAge = { ...base, ageMinutes: Math.floor(ageMs / 60_000) };
  // The ranking starts from the current owner, whatever `recent` holds (a store
  // may list recent rows without the current one).
  const candidates = current
    ? [current, ...customer.recent.filter((o) => o.conversationId !== current.conversationId)]
    : customer.recent;

  if (customer.vip && requestedPolicy.vipQueueId !== '') {
    const vipQueue = requestedPolicy.vipQueueId;
    const agentIds = inWindow ? rankAgents(candidates, input, config, vipQueue) : [];
    return withAgents({ ...withAge, action: 'vip', queueId: vipQueue, reason: 'vip' }, agentIds);
  }
  if (!current) return base;
  if (!inWindow) {
    return {
      ...withAge,
      action: 'restart',
      queueId: requestedQueueId || base.queueId,
      reason: 'context_stale',
    };
  }

  const targetQueue = requestedQueueId || current.queueId || base.queueId;
  const ownerFit = fitness(input.availability.get(current.agentId), targetQueue, current.queueId);
  const lastQueue = current.queueId || base.queueId;
  if (ownerFit === 'fit' || ownerFit === 'unknown') {
    const agentIds = rankAgents(candidates, input, config, targetQueue);
    // An open story is the strongest reason to go back to its owner: say so.
    const reason = base.unresolved
      ? 'owner_unresolved'
      : ownerFit === 'fit'
        ? 'owner_available'
        : 'availability_unknown';
    return withAgents({ ...withAge, action: 'agent', queueId: targetQueue, reason }, agentIds);
  }
  if (ownerFit === 'fit_elsewhere') {
    const agentIds = rankAgents(candidates, input, config, current.queueId);
    return withAgents(
      { ...withAge, action: 'agent', queueId: current.queueId, reason: 'owner_in_last_queue' },
      agentIds,
    );
  }
  const others = rankAgents(candidates, input, config, targetQueue);
  if (others.length > 0) {
    return withAgents(
      { ...withAge, action: 'agent', queueId: targetQueue, reason: 'previous_owner_available' },
      others,
    );
  }
  const reason = ownerFit === 'offline' ? 'owner_offline' : 'owner_not_in_queue';
  return { ...withAge, action: 'queue', queueId: lastQueue, reason };
}

function withPriority(config: PolicyConfig, decision: RoutingDecision): RoutingDecision {
  return {
    ...decision,
    priority: priorityFor(config, decision.queueId, decision.unresolved, decision.vip),
  };
}

function withAgents(decision: RoutingDecision, agentIds: string[]): RoutingDecision {
  const agentScores = agentIds.map((_, rank) => scoreAt(rank));
  return {
    ...decision,
    agentId: agentIds[0] ?? '',
    agentScore: agentScores[0] ?? 0,
    agentIds,
    agentScores,
  };
}
