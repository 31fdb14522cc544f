import { ROUTING_ACTIONS } from '../domain/routing-policy.ts';
import type { ArtifactOptions } from './artifact-options.ts';
import {
  callData,
  decision,
  exp,
  lit,
  loop,
  noValue,
  outputVariables,
  quoted,
  transferToAcd,
  updateData,
  variable,
  variableRef,
  type Node,
} from './archy-actions.ts';
import type { DataActionExport } from './data-action.builder.ts';
import { toYaml } from './yaml.writer.ts';

/**
 * The Architect inbound message flow (Archy YAML, `inboundShortMessage`): call
 * the lookup Data Action, then route on its `action`. Every path that is not a
 * clear decision (`fallback`, a failed or timed-out lookup, an unknown action)
 * goes to the fallback queue, so the bridge can never strand a customer.
 */

/** Where each lookup input comes from in a message flow. */
const INPUT_BINDINGS: Record<string, (o: ArtifactOptions) => Node> = {
  address: () => exp('Message.Message.senderAddress'),
  conversationId: () => exp('Message.ConversationId'),
  queueId: (o) => lit(o.defaultQueueId),
  isNewConversation: () => exp('Message.IsNewConversation'),
};

/** Genesys accepts 20 agent/score pairs by default (more fails with TooManyPreferredAgents). */
export const MAX_PREFERRED_AGENTS = 20;

const PREFERRED = 'Flow.preferredAgents';
const SCORES = 'Flow.preferredScores';
const INDEX = 'Flow.agentIndex';
const CANDIDATE = 'Flow.candidateAgent';

export const FLOW_UNVERIFIED = [
  'FindQueueById(...) as targetQueue (blueprints use `lit: name:`; ids keep the flow rename-proof)',
  'preferredAgents: exp: MakeListAgentScorePair(...) (the expression is from the Transfer to ACD help page; its YAML form is not in a public export)',
  '`loop`, AddItem(), Count(), Min(), FindUserById() and the `user` / `userCollection` / `integerCollection` updateData statements inside an inbound message flow',
  '`timeout: lit: seconds:` on callData (exports show `minutes:`)',
  'top-level Flow.* `variables:` in an inboundShortMessage flow (seen in workflows)',
  'that a failed Transfer to ACD continues with the next action in a message flow',
];

const findQueue = (id: string) => `FindQueueById(${quoted(id)})`;

/** The queue the bridge chose, or the default queue when it sent none. */
const bridgeQueue = (o: ArtifactOptions) =>
  `If(IsNotSetOrEmpty(Flow.queueId), ${findQueue(o.defaultQueueId)}, FindQueueById(Flow.queueId))`;

function fallbackTransfer(o: ArtifactOptions, why: string): Node {
  return transferToAcd({ name: `Fallback queue (${why})`, queue: findQueue(o.fallbackQueueId) });
}

/**
 * Collects `Flow.agentIds` / `Flow.agentScores` into a user list and a score
 * list, at most 20, skipping ids Genesys does not know (FindUserById gives
 * NOT_SET), so the pairs can never fail the transfer.
 */
function collectPreferredAgents(): Node[] {
  const count = `Min(Min(Count(Flow.agentIds), Count(Flow.agentScores)), ${MAX_PREFERRED_AGENTS})`;
  return [
    loop('Collect preferred agents', INDEX, exp(count), [
      updateData('Find agent', [
        ['user', CANDIDATE, `FindUserById(GetAt(Flow.agentIds, ${INDEX}))`],
      ]),
      decision(
        'Known agent?',
        `IsSet(${CANDIDATE})`,
        [
          updateData('Add preferred agent', [
            ['userCollection', PREFERRED, `AddItem(${PREFERRED}, ${CANDIDATE})`],
            ['integerCollection', SCORES, `AddItem(${SCORES}, GetAt(Flow.agentScores, ${INDEX}))`],
          ]),
        ],
        [],
      ),
    ]),
  ];
}

/** Transfer preferring the collected agents; a plain transfer when none is left. */
function preferredTransfer(name: string, queue: string): Node {
  return decision(
    `${name}: preferred agents?`,
    `Count(${PREFERRED}) > 0`,
    [
      transferToAcd({
        name: `${name} (preferred agents)`,
        queue,
        preferredAgents: `MakeListAgentScorePair(${PREFERRED}, ${SCORES})`,
      }),
    ],
    [transferToAcd({ name, queue })],
  );
}

/** Routes on Flow.action; each branch transfers, anything unknown falls back. */
function routeOnAction(o: ArtifactOptions): Node[] {
  const branches: Record<string, Node> = {
    agent: preferredTransfer('Owner queue', bridgeQueue(o)),
    queue: transferToAcd({ name: 'Last queue', queue: bridgeQueue(o) }),
    vip: preferredTransfer('VIP queue', findQueue(o.vipQueueId)),
    restart: transferToAcd({
      name: 'Triage queue (fresh journey)',
      queue: findQueue(o.triageQueueId),
    }),
    fallback: fallbackTransfer(o, 'no usable history'),
  };
  const missing = ROUTING_ACTIONS.filter((action) => !(action in branches));
  if (missing.length > 0)
    throw new Error(`the flow has no branch for action(s) ${missing.join(', ')}`);
  let tree: Node[] = [fallbackTransfer(o, 'unknown action')];
  for (const action of [...ROUTING_ACTIONS].reverse()) {
    tree = [
      decision(
        `Action is ${action}?`,
        `Flow.action == ${quoted(action)}`,
        [branches[action]!],
        tree,
      ),
    ];
  }
  return [...collectPreferredAgents(), ...tree];
}

export function buildInboundFlow(o: ArtifactOptions, lookup: DataActionExport): Node {
  const { inputSchema } = lookup.contract.input;
  const { successSchema } = lookup.contract.output;
  const inputs = Object.fromEntries(
    Object.keys(inputSchema.properties).map((name) => {
      const bind = INPUT_BINDINGS[name];
      if (!bind) throw new Error(`the flow does not know where lookup input "${name}" comes from`);
      return [name, bind(o)];
    }),
  );
  const successOutputs = Object.fromEntries(
    Object.keys(successSchema.properties).map((name) => [name, variableRef(`Flow.${name}`)]),
  );
  const state = 'Continuity Routing';
  return {
    inboundShortMessage: {
      name: o.flowName,
      description: `Routes returning WhatsApp customers with ${o.actionName}.`,
      division: o.divisionName,
      startUpRef: `/inboundShortMessage/states/state[${state}_10]`,
      defaultLanguage: 'en-us',
      supportedLanguages: { 'en-us': { defaultLanguageSkill: noValue() } },
      variables: [
        ...outputVariables(successSchema, 'Flow.'),
        variable('integerVariable', INDEX),
        variable('userVariable', CANDIDATE),
        variable('userCollectionVariable', PREFERRED),
        variable('integerCollectionVariable', SCORES),
      ],
      settingsErrorHandling: { errorHandling: { disconnect: { none: true } } },
      states: [
        {
          state: {
            name: state,
            refId: `${state}_10`,
            actions: [
              callData({
                name: 'Continuity lookup',
                category: o.integrationName,
                action: o.actionName,
                inputs,
                successOutputs,
                timeout: lit({ seconds: o.timeoutSeconds }),
                success: routeOnAction(o),
                failure: [fallbackTransfer(o, 'lookup failed')],
                timeoutActions: [fallbackTransfer(o, 'lookup timed out')],
              }),
              fallbackTransfer(o, 'transfer failed'),
              { disconnect: { none: true } },
            ],
          },
        },
      ],
    },
  };
}

export function inboundFlowYaml(o: ArtifactOptions, lookup: DataActionExport): string {
  return toYaml(buildInboundFlow(o, lookup), [
    'Continuity Bridge: inbound WhatsApp message flow (Archy YAML). GENERATED: do not edit;',
    'regenerate with `continuity-bridge genesys-artifacts` (see docs/genesys-admin.md).',
    '',
    `Data Action: "${o.actionName}" in integration "${o.integrationName}", timeout ${o.timeoutSeconds} s.`,
    `Queues: default ${o.defaultQueueId}, fallback ${o.fallbackQueueId}, VIP ${o.vipQueueId}, triage ${o.triageQueueId}.`,
    `Bounded wait: set the queues' preferred-agent rule to ring the preferred agents for`,
    `${o.preferredAgentWaitSeconds} s before widening (a queue setting, not a flow action).`,
    '',
    'UNVERIFIED constructs (not in a public Archy export; check with `archy validate`):',
    ...FLOW_UNVERIFIED.map((item) => `- ${item}`),
  ]);
}
