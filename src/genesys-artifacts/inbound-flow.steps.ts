import type { RoutingAction } from '../domain/routing-policy.ts';
import type { ArtifactOptions } from './artifact-options.ts';
import {
  decision,
  evaluateScheduleGroup,
  exp,
  findUsersById,
  lit,
  quoted,
  switchFirstTrue,
  transferToAcd,
  updateData,
  type Node,
  type SwitchCase,
} from './archy-actions.ts';
import type { DataActionSchema } from './data-action-contract.ts';

/** The steps of the inbound message flow, in the order the flow runs them. */

export interface FlowNames {
  readonly targetQueueId: string;
  readonly preferredUsers: string;
  readonly preferredAgents: string;
  readonly hasPreferredAgents: string;
  readonly customerMessage: string;
}

/** What the agent sees as `Continuity.reason` when the bridge gave no answer. */
export const FALLBACK_REASONS = {
  failed: 'lookup_failed',
  timedOut: 'lookup_timed_out',
} as const;

/** Where each action sends the customer: a queue the flow knows, or the bridge's `queueId`. */
const ROUTES: Record<RoutingAction, (o: ArtifactOptions) => string | 'bridge'> = {
  agent: () => 'bridge',
  queue: () => 'bridge',
  vip: (o) => o.vipQueueId,
  restart: (o) => o.triageQueueId,
  fallback: (o) => o.fallbackQueueId,
};

const setTarget = (n: FlowNames, name: string, value: Node): Node =>
  updateData(name, [['string', n.targetQueueId, value]]);

/**
 * One `switch` resolves the target queue once. Queues the flow knows come
 * first; an `agent` or `queue` answer without a queue goes to the default
 * queue; an action the flow does not know goes to the fallback queue.
 */
export function targetQueueStep(o: ArtifactOptions, n: FlowNames): Node {
  const routes = Object.entries(ROUTES).map(([action, route]) => ({ action, to: route(o) }));
  const known: SwitchCase[] = routes
    .filter((r) => r.to !== 'bridge')
    .map((r) => ({
      when: `Flow.action == ${quoted(r.action)}`,
      actions: [setTarget(n, `${r.action}: queue ${r.to}`, lit(r.to))],
    }));
  const fromBridge: SwitchCase[] = routes
    .filter((r) => r.to === 'bridge')
    .map((r) => ({
      when: `Flow.action == ${quoted(r.action)}`,
      actions: [setTarget(n, `${r.action}: the queue the bridge chose`, exp('Flow.queueId'))],
    }));
  const noQueue: SwitchCase = {
    when: 'IsNotSetOrEmpty(Flow.queueId)',
    actions: [setTarget(n, 'No queue from the bridge: the default queue', lit(o.defaultQueueId))],
  };
  const unknown = setTarget(n, 'Unknown action: the fallback queue', lit(o.fallbackQueueId));
  return switchFirstTrue('Target queue', [...known, noQueue, ...fromBridge], [unknown]);
}

/**
 * Find Users by Id on the whole ranked id list (one lookup, order kept, at
 * most 50 ids; the bridge sends at most its MAX_PREFERRED_AGENTS) and pair
 * the users with the bridge's scores. Partially found keeps the positions
 * (missing users are NOT_SET), so the pairs stay aligned; if Genesys refuses
 * them, the transfer chain retries with the owner alone.
 */
export function preferredAgentSteps(n: FlowNames): Node[] {
  const pair = updateData('Pair the agents with their scores', [
    [
      'agentScorePairCollection',
      n.preferredAgents,
      exp(`MakeListAgentScorePair(${n.preferredUsers}, Flow.agentScores)`),
    ],
    ['boolean', n.hasPreferredAgents, lit(true)],
  ]);
  return [
    decision(
      'Agents to prefer?',
      'IsNotSetOrEmpty(Flow.agentId)',
      [],
      [
        findUsersById({
          name: 'Find the ranked agents',
          userIds: 'Flow.agentIds',
          result: n.preferredUsers,
          found: [pair],
          partiallyFound: [pair],
          notFound: [],
        }),
      ],
    ),
  ];
}

/**
 * Closed, holiday and emergency for the target queue (queues with a schedule
 * in the policy file): change the target and what the customer is told. The
 * open path changes nothing. Preferred agents stay: when the queue opens, the
 * owner is rung first if they are a member of the off-hours queue.
 */
export function scheduleStep(o: ArtifactOptions, n: FlowNames): Node[] {
  const cases: SwitchCase[] = Object.entries(o.queueSchedules).map(([queueId, s]) => {
    const divert = (why: string, queue: string, message: string): Node[] => [
      updateData(`${why}: queue ${queue}`, [
        ['string', n.targetQueueId, lit(queue)],
        ['string', n.customerMessage, lit(message)],
      ]),
    ];
    const closed = divert(
      'Closed',
      s.offHoursQueueId ?? o.fallbackQueueId,
      s.closedMessage ?? o.closedMessage,
    );
    return {
      when: `${n.targetQueueId} == ${quoted(queueId)}`,
      actions: [
        evaluateScheduleGroup({
          name: `Opening hours of ${queueId}`,
          ...(s.scheduleGroup !== undefined && { scheduleGroup: s.scheduleGroup }),
          ...(s.emergencyGroup !== undefined && { emergencyGroup: s.emergencyGroup }),
          closed,
          holiday: closed,
          emergency: divert(
            'Emergency',
            s.emergencyQueueId ?? o.fallbackQueueId,
            s.emergencyMessage ?? o.emergencyMessage,
          ),
        }),
      ],
    };
  });
  // No schedule for the target queue: open, the target stays (stated, as the switch needs a default).
  const open = setTarget(n, 'No opening hours for this queue: no change', exp(n.targetQueueId));
  return cases.length > 0 ? [switchFirstTrue('Opening hours', cases, [open])] : [];
}

/**
 * The ACD priority: the lookup's `priority` when its contract has one, else
 * a literal 0. The hook where a lookup contract without `priority` (older
 * bridges) still generates a valid flow.
 */
export function acdPriority(schema: DataActionSchema): string | undefined {
  return schema.properties.priority?.type === 'integer' ? 'Flow.priority' : undefined;
}

/**
 * The transfers, each the fallback of the one before when Transfer to ACD
 * takes its Failure output (TooManyPreferredAgents, an unknown user, a queue
 * id Genesys does not know): preferred agents, the owner alone, the target
 * queue plainly, and last the fallback queue named literally.
 */
export function transferChain(o: ArtifactOptions, n: FlowNames, schema: DataActionSchema): Node[] {
  const priority = acdPriority(schema);
  const queue = `FindQueueById(${n.targetQueueId})`;
  const withPriority = priority ? { priority } : {};
  return [
    decision(
      'Preferred agents found?',
      n.hasPreferredAgents,
      [
        transferToAcd({
          name: 'Target queue, ranked agents preferred',
          queue,
          preferredAgents: n.preferredAgents,
          ...withPriority,
        }),
        transferToAcd({
          name: 'Target queue, owner preferred',
          queue,
          preferredAgents:
            'MakeListAgentScorePair(MakeList(FindUserById(Flow.agentId)), MakeList(Flow.agentScore))',
          ...withPriority,
        }),
      ],
      [],
    ),
    transferToAcd({ name: 'Target queue', queue, ...withPriority }),
    transferToAcd({
      name: 'Fallback queue',
      queueName: o.fallbackQueueName,
      ...withPriority,
    }),
  ];
}
