import type { ArtifactOptions } from './artifact-options.ts';
import {
  archyVariableType,
  callData,
  exp,
  lit,
  loop,
  noValue,
  variable,
  type Node,
} from './archy-actions.ts';
import type { DataActionExport } from './data-action.builder.ts';
import { toYaml } from './yaml.writer.ts';

/**
 * The Architect workflow a Process Automation trigger starts on every WhatsApp
 * wrap-up: it receives the event's top-level primitives as input variables
 * (`TopLevelPrimitives`) and posts them to the bridge through the post-event
 * Data Action, retrying a few times a minute apart (the bridge answers 503
 * while its Redis is down; the analytics sweep catches anything still missed).
 */

export const POST_ATTEMPTS = 3;
const ATTEMPT = 'Flow.attempt';

export const WORKFLOW_UNVERIFIED = [
  'that the trigger passes eventTime as an integer input (epoch ms does not fit 32 bits)',
  'decimalVariable for wrapupDurationMs',
  'Append(...) to rebuild topicName (workflows only receive the event body)',
];

/** Inputs the workflow computes instead of receiving from the trigger. */
const COMPUTED: Record<string, string> = {
  topicName: 'Append("v2.detail.events.conversation.", Flow.conversationId, ".acw")',
};

export function buildPostEventWorkflow(o: ArtifactOptions, action: DataActionExport): Node {
  const { inputSchema } = action.contract.input;
  const { successSchema } = action.contract.output;
  const received = Object.entries(inputSchema.properties).filter(([name]) => !(name in COMPUTED));
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
        variable('integerVariable', ATTEMPT),
        ...received.map(([name, property]) =>
          variable(archyVariableType(property), `Flow.${name}`, true),
        ),
      ],
      settingsErrorHandling: { errorHandling: { endWorkflow: { none: true } } },
      states: [
        {
          state: {
            name: state,
            refId: `${state}_10`,
            actions: [
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
    'Input variables are named after the event fields (trigger data format TopLevelPrimitives).',
    '',
    'UNVERIFIED (check with `archy validate`):',
    ...WORKFLOW_UNVERIFIED.map((item) => `- ${item}`),
  ]);
}
