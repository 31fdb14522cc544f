import { z } from 'zod';
import { ArchyName, ArchyQueueId, CustomerMessage, QueueSchedule } from './queue-schedule.ts';

/**
 * What an admin chooses when generating the Genesys artifacts. The committed
 * copies under `genesys/` use {@link PLACEHOLDER_OPTIONS}; an admin regenerates
 * them for a real org with the CLI (`continuity-bridge genesys-artifacts …`).
 */

const queueId = ArchyQueueId;
const name = ArchyName;

/** The flow waits for the lookup one minute (the only `callData` timeout form public exports show). */
export const FLOW_LOOKUP_TIMEOUT_SECONDS = 60;

export const ArtifactOptions = z
  .object({
    /** Where Genesys reaches the bridge: an absolute https URL without path, query or fragment. */
    bridgeUrl: z
      .url({ protocol: /^https?$/ })
      .transform((value) => value.replace(/\/+$/, ''))
      .refine((value) => !/[?#]/.test(value), 'must not carry a query or fragment')
      .refine((value) => !/[${}"\s]/.test(value), 'must not contain $, braces, quotes or spaces'),
    /** The Web Services Data Actions integration (Architect shows it as the action category). */
    integrationName: name,
    /** Field of the integration's User Defined credential that holds the bridge API key. */
    credentialField: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a plain field name'),
    /** Versioned: a published contract cannot change, so a new contract means a new name. */
    actionName: name,
    postEventActionName: name,
    flowName: name,
    workflowName: name,
    triggerName: name,
    divisionName: name,
    /** The queue the flow would use without the bridge (sent as `queueId`). */
    defaultQueueId: queueId,
    /** Where `fallback`, a failed or a timed-out lookup go. */
    fallbackQueueId: queueId,
    /**
     * The same fallback queue by name: the last transfer of the flow names it
     * literally, so Architect resolves it at publish time and no runtime
     * lookup can fail on the way to it.
     */
    fallbackQueueName: name,
    vipQueueId: queueId,
    /** `restart`: the context is stale, the customer starts a fresh journey here. */
    triageQueueId: queueId,
    /** The workflow the trigger starts (known after the workflow is published). */
    workflowId: queueId,
    /** Data Action timeout, 1–59 s; must exceed the bridge's lookup deadline. */
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(
        FLOW_LOOKUP_TIMEOUT_SECONDS - 1,
        "must stay below the flow's own 60 s wait for the lookup, so the action times out first",
      ),
    /** The bridge's LOOKUP_DEADLINE_MS, to check timeoutSeconds against. */
    lookupDeadlineMs: z.number().int().positive(),
    /** How long the queue rings the preferred agents before widening (a queue setting). */
    preferredAgentWaitSeconds: z.number().int().min(1).max(3600),
    /** Process Automation `delayBySeconds` (60–900) so analytics settle before the reconcile. */
    triggerDelaySeconds: z.number().int().min(60).max(900),
    /** Sent to the customer before the transfer (the customer just wrote: inside the service window). Empty: none. */
    acknowledgement: CustomerMessage,
    /** Sent when the target queue's schedule group is closed or on holiday. */
    closedMessage: CustomerMessage.min(1),
    /** Sent when the target queue's emergency group is active. */
    emergencyMessage: CustomerMessage.min(1),
    /** Opening hours per target queue id (`queues.<id>.schedule` of the policy file). */
    queueSchedules: z.record(queueId, QueueSchedule).default({}),
  })
  .strict()
  .refine((o) => o.timeoutSeconds * 1000 > o.lookupDeadlineMs, {
    path: ['timeoutSeconds'],
    message:
      'must exceed the bridge lookup deadline (LOOKUP_DEADLINE_MS), or Genesys gives up first',
  });

export type ArtifactOptions = z.output<typeof ArtifactOptions>;
export type ArtifactOptionsInput = z.input<typeof ArtifactOptions>;

/** The values the committed `genesys/` files are generated with. Obvious placeholders. */
export const PLACEHOLDER_OPTIONS: ArtifactOptionsInput = {
  bridgeUrl: 'https://continuity-bridge.example.com',
  integrationName: 'Continuity Bridge',
  credentialField: 'apiKey',
  actionName: 'Continuity Bridge - Routing Lookup v2',
  postEventActionName: 'Continuity Bridge - Post ACW Event v2',
  flowName: 'Continuity Bridge - Inbound WhatsApp',
  workflowName: 'Continuity Bridge - Post ACW Event',
  triggerName: 'Continuity Bridge - WhatsApp wrap-up',
  divisionName: 'Home',
  defaultQueueId: 'REPLACE_WITH_DEFAULT_QUEUE_ID',
  fallbackQueueId: 'REPLACE_WITH_FALLBACK_QUEUE_ID',
  fallbackQueueName: 'REPLACE_WITH_FALLBACK_QUEUE_NAME',
  vipQueueId: 'REPLACE_WITH_VIP_QUEUE_ID',
  triageQueueId: 'REPLACE_WITH_TRIAGE_QUEUE_ID',
  workflowId: 'REPLACE_WITH_WORKFLOW_ID',
  timeoutSeconds: 8,
  lookupDeadlineMs: 2000,
  preferredAgentWaitSeconds: 30,
  triggerDelaySeconds: 60,
  acknowledgement: 'Thanks for your message. An agent will reply here shortly.',
  closedMessage:
    'Thanks for your message. We are closed right now; an agent will reply here as soon as we open.',
  emergencyMessage:
    'Thanks for your message. We are dealing with an emergency; an agent will reply here as soon as possible.',
  queueSchedules: {
    REPLACE_WITH_DEFAULT_QUEUE_ID: {
      scheduleGroup: 'REPLACE_WITH_SCHEDULE_GROUP_NAME',
      emergencyGroup: 'REPLACE_WITH_EMERGENCY_GROUP_NAME',
    },
  },
};

/** Which options still hold a placeholder value (the CLI warns about them). */
export function remainingPlaceholders(options: ArtifactOptions): string[] {
  return Object.entries(options)
    .filter(([, value]) => /REPLACE_WITH_|example\.com/.test(JSON.stringify(value)))
    .map(([key]) => key);
}
