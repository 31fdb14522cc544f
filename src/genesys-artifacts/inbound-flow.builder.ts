import { FLOW_LOOKUP_TIMEOUT_SECONDS, type ArtifactOptions } from './artifact-options.ts';
import { agentContextAttributes, SCREEN_POP } from './agent-context.ts';
import {
  callData,
  decision,
  exp,
  flowVariable,
  lit,
  noValue,
  outputVariables,
  sendResponse,
  setParticipantData,
  updateData,
  variableRef,
  type Node,
} from './archy-actions.ts';
import type { DataActionExport } from './data-action.builder.ts';
import {
  FALLBACK_REASONS,
  preferredAgentSteps,
  scheduleStep,
  targetQueueStep,
  transferChain,
  type FlowNames,
} from './inbound-flow.steps.ts';
import { toYaml } from './yaml.writer.ts';

/**
 * The Architect inbound message flow (Archy YAML, `inboundShortMessage`), in
 * one straight line so every path ends in a transfer:
 *
 * 1. start on the fallback queue (so a failed or slow lookup still has a target);
 * 2. call the lookup; on success one `switch` picks the target queue, and
 *    Find Users by Id turns the ranked agent ids into agent/score pairs;
 * 3. evaluate the target queue's schedule group: closed, holiday or emergency
 *    change the target and the message to the customer;
 * 4. hand the agent the context (Set Participant Data, `SF_URLPop`);
 * 5. answer the customer (the acknowledgement, or the closed/emergency message);
 * 6. transfer: with the preferred agents, with the owner only, to the queue
 *    plainly, and finally to the fallback queue named literally — each a
 *    fallback for the one before when Transfer to ACD fails.
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

/** Flow variables of the routing itself (the lookup's outputs are `Flow.<output>`). */
export const NAMES: FlowNames = {
  targetQueueId: 'Flow.targetQueueId',
  preferredUsers: 'Flow.preferredUsers',
  preferredAgents: 'Flow.preferredAgents',
  hasPreferredAgents: 'Flow.hasPreferredAgents',
  customerMessage: 'Flow.customerMessage',
};

export const FLOW_UNVERIFIED = [
  'the YAML form of Find Users by Id (`findUsersById` with `userIds`, `findResult` and found / partiallyFound / notFound outputs): the action is documented (help find-users-by-id-action), no export shows it; its form follows the exported findQueue action',
  'a `userCollectionVariable` to hold its results (the documented output of Find Users by Id)',
  'the `closed` and `holiday` outputs of evaluateScheduleGroup and `scheduleGroup: lit: name:` (exports show the action, `emergency`, and `lit: name:` for queues)',
  '`priority: exp:` on Transfer to ACD (exports show `lit: 0`)',
  'that a failed Transfer to ACD continues with the next action (Architect Scripting documents its Failure output)',
  'that Set Participant Data accepts the attribute values Architect converts with ToString()',
  'flow-level error handling: `disconnect` is the only form in public exports; change it in Architect (docs/genesys-admin.md, step 5)',
];

/** The lookup's answer, bound on success; a path that never got one keeps the start values. */
function lookupCall(o: ArtifactOptions, lookup: DataActionExport, success: Node[]): Node {
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
  const noAnswer = (reason: string): Node[] => [
    updateData(`No answer: ${reason}`, [['string', 'Flow.reason', lit(reason)]]),
  ];
  return callData({
    name: 'Continuity lookup',
    category: o.integrationName,
    action: o.actionName,
    inputs,
    successOutputs,
    timeout: lit({ minutes: FLOW_LOOKUP_TIMEOUT_SECONDS / 60 }),
    success,
    failure: noAnswer(FALLBACK_REASONS.failed),
    timeoutActions: noAnswer(FALLBACK_REASONS.timedOut),
  });
}

/** Participant data for the agent, and the Salesforce screen pop when there is a record. */
function handContextToAgent(lookup: DataActionExport): Node[] {
  const { successSchema } = lookup.contract.output;
  const pop = successSchema.properties[SCREEN_POP.field]
    ? [
        decision(
          'Record to pop in Salesforce?',
          `IsNotSetOrEmpty(Flow.${SCREEN_POP.field})`,
          [],
          [
            setParticipantData('Pop the Case or Contact', [
              [SCREEN_POP.attribute, `Flow.${SCREEN_POP.field}`],
            ]),
          ],
        ),
      ]
    : [];
  return [
    setParticipantData('Context for the agent', agentContextAttributes(successSchema)),
    ...pop,
  ];
}

function answerCustomer(): Node[] {
  return [
    decision(
      'Anything to tell the customer?',
      `IsNotSetOrEmpty(${NAMES.customerMessage})`,
      [],
      [sendResponse('Answer the customer', NAMES.customerMessage)],
    ),
  ];
}

export function buildInboundFlow(o: ArtifactOptions, lookup: DataActionExport): Node {
  const { successSchema } = lookup.contract.output;
  const state = 'Continuity Routing';
  const start = updateData('Start on the fallback queue', [
    ['string', NAMES.targetQueueId, lit(o.fallbackQueueId)],
    ['string', NAMES.customerMessage, lit(o.acknowledgement)],
  ]);
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
        flowVariable('stringVariable', NAMES.targetQueueId),
        flowVariable('stringVariable', NAMES.customerMessage),
        flowVariable('userCollectionVariable', NAMES.preferredUsers),
        flowVariable('agentScorePairCollectionVariable', NAMES.preferredAgents),
        flowVariable('booleanVariable', NAMES.hasPreferredAgents, lit(false)),
      ],
      settingsErrorHandling: { errorHandling: { disconnect: { none: true } } },
      states: [
        {
          state: {
            name: state,
            refId: `${state}_10`,
            actions: [
              start,
              lookupCall(o, lookup, [targetQueueStep(o, NAMES), ...preferredAgentSteps(NAMES)]),
              ...scheduleStep(o, NAMES),
              ...handContextToAgent(lookup),
              ...answerCustomer(),
              ...transferChain(o, NAMES, successSchema),
            ],
          },
        },
      ],
    },
  };
}

export function inboundFlowYaml(o: ArtifactOptions, lookup: DataActionExport): string {
  const scheduled = Object.keys(o.queueSchedules);
  return toYaml(buildInboundFlow(o, lookup), [
    'Continuity Bridge: inbound WhatsApp message flow (Archy YAML). GENERATED: do not edit;',
    'regenerate with `continuity-bridge genesys-artifacts` (see docs/genesys-admin.md).',
    '',
    `Data Action: "${o.actionName}" in integration "${o.integrationName}", timeout ${o.timeoutSeconds} s (the flow waits ${FLOW_LOOKUP_TIMEOUT_SECONDS} s).`,
    `Queues: default ${o.defaultQueueId}, fallback ${o.fallbackQueueId} ("${o.fallbackQueueName}"), VIP ${o.vipQueueId}, triage ${o.triageQueueId}.`,
    `Opening hours evaluated for: ${scheduled.length > 0 ? scheduled.join(', ') : 'no queue (add queues.<id>.schedule to the policy file)'}.`,
    `Bounded wait: set the queues' preferred-agent routing rules (docs/genesys-admin.md, step 6;`,
    `${o.preferredAgentWaitSeconds} s chosen); a single preferred agent ignores the ring timeout.`,
    '',
    'FIRST STEP AFTER IMPORT: Architect > this flow > Settings > Error Handling: Transfer to ACD,',
    `queue "${o.fallbackQueueName}" (public exports only show "disconnect", which drops the message).`,
    '',
    'UNVERIFIED (documented by Genesys but in no public export; check with `archy validate`):',
    ...FLOW_UNVERIFIED.map((item) => `- ${item}`),
  ]);
}
