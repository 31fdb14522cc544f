import type { ArtifactOptions } from './artifact-options.ts';
import {
  callData,
  exp,
  lit,
  noValue,
  updateData,
  variable,
  variableRef,
  type Node,
} from './archy-actions.ts';
import type { DataActionExport } from './data-action.builder.ts';
import { toYaml } from './yaml.writer.ts';

/**
 * The Architect workflow a Process Automation trigger starts on every WhatsApp
 * wrap-up. The trigger sends the event as JSON (`dataFormat: Json`): the
 * workflow has one input, `Flow.jsonData`, reads each field as text with
 * `ToString(GetJsonObjectProperty(Flow.jsonData, "…"))` (the form of the
 * process-automation-trigger-with-salesforce export), and posts them through
 * the post-event Data Action, whose numeric inputs are text written into the
 * body as JSON numbers — a 13-digit `eventTime` never passes through an
 * Architect integer. It retries a few times a minute apart (the bridge answers
 * 503 while its Redis is down; the analytics sweep catches anything missed).
 */

export const POST_ATTEMPTS = 3;
const ATTEMPT = 'Flow.attempt';
export const JSON_INPUT = 'Flow.jsonData';

/** `loop` is seen in workflows only (callback-prioritization); the message flow never loops. */
export function loop(name: string, indexVariable: string, count: Node, actions: Node[]): Node {
  return {
    loop: {
      name,
      currentIndex: variableRef(indexVariable),
      loopCount: count,
      outputs: { loop: { actions } },
    },
  };
}

export const WORKFLOW_UNVERIFIED = [
  'what GetJsonObjectProperty gives for a field the event does not carry (expected NOT_SET: the action then leaves the field out)',
  'Append(...) to rebuild topicName (workflows only receive the event body)',
];

/** Inputs the workflow computes instead of reading from the event. */
const COMPUTED: Record<string, string> = {
  topicName: 'Append("v2.detail.events.conversation.", Flow.conversationId, ".acw")',
};

export function buildPostEventWorkflow(o: ArtifactOptions, action: DataActionExport): Node {
  const { inputSchema } = action.contract.input;
  const { successSchema } = action.contract.output;
  const read = Object.keys(inputSchema.properties).filter((name) => !(name in COMPUTED));
  const nonText = read.filter((name) => inputSchema.properties[name]!.type !== 'string');
  if (nonText.length > 0)
    throw new Error(`the workflow reads text only; inputs ${nonText.join(', ')} are not strings`);
  const inputs = Object.fromEntries(
    Object.keys(inputSchema.properties).map((name) => [
      name,
      exp(COMPUTED[name] ?? `Flow.${name}`),
    ]),
  );
  const end = { endWorkflow: { name: 'End Workflow', exitReason: noValue() } };
  const retryLater = {
    wait: {
      name: 'Wait before retrying',
      trimDurationNearMaxRunningTime: lit(true),
      duration: lit({ minutes: 1 }),
    },
  };
  const state = 'Post Event';
  return {
    workflow: {
      name: o.workflowName,
      description: `Posts WhatsApp wrap-up events to the Continuity Bridge with ${o.postEventActionName}.`,
      division: o.divisionName,
      startUpRef: `/workflow/states/state[${state}_10]`,
      defaultLanguage: 'en-us',
      supportedLanguages: { 'en-us': { none: true } },
      variables: [
        variable('jsonVariable', JSON_INPUT, true),
        variable('integerVariable', ATTEMPT),
        ...read.map((name) => variable('stringVariable', `Flow.${name}`)),
      ],
      settingsErrorHandling: { errorHandling: { endWorkflow: { none: true } } },
      states: [
        {
          state: {
            name: state,
            refId: `${state}_10`,
            actions: [
              updateData(
                'Read the event',
                read.map((name) => [
                  'string',
                  `Flow.${name}`,
                  exp(`ToString(GetJsonObjectProperty(${JSON_INPUT}, "${name}"))`),
                ]),
              ),
              loop('Post with retries', ATTEMPT, lit(POST_ATTEMPTS), [
                callData({
                  name: 'Post event to Continuity Bridge',
                  category: o.integrationName,
                  action: o.postEventActionName,
                  inputs,
                  successOutputs: Object.fromEntries(
                    Object.keys(successSchema.properties).map((n) => [n, noValue()]),
                  ),
                  timeout: lit({ minutes: 1 }),
                  success: [end],
                  failure: [retryLater],
                  timeoutActions: [retryLater],
                }),
              ]),
              end,
            ],
          },
        },
      ],
    },
  };
}

export function postEventWorkflowYaml(o: ArtifactOptions, action: DataActionExport): string {
  return toYaml(buildPostEventWorkflow(o, action), [
    'Continuity Bridge: workflow started by the WhatsApp wrap-up trigger (Archy YAML).',
    'GENERATED: do not edit; regenerate with `continuity-bridge genesys-artifacts`.',
    '',
    `Calls "${o.postEventActionName}" (integration "${o.integrationName}") up to ${POST_ATTEMPTS} times.`,
    `One input, ${JSON_INPUT} (trigger data format Json); fields are read with GetJsonObjectProperty.`,
    '',
    'UNVERIFIED (check with `archy validate` and one test wrap-up):',
    ...WORKFLOW_UNVERIFIED.map((item) => `- ${item}`),
  ]);
}
