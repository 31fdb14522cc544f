import { z } from 'zod';

/**
 * What an admin chooses when generating the Genesys artifacts. The committed
 * copies under `genesys/` use {@link PLACEHOLDER_OPTIONS}; an admin regenerates
 * them for a real org with the CLI (`continuity-bridge genesys-artifacts …`).
 */

/** Queue ids end up inside Architect string literals: keep them to safe characters. */
const queueId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Genesys queue id (letters, digits, - or _)');

/** Names end up in YAML and in Architect category/action keys. */
const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^"\\\n\r{}$]+$/, 'must not contain quotes, backslashes, braces, $ or new lines');

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
    vipQueueId: queueId,
    /** `restart`: the context is stale, the customer starts a fresh journey here. */
    triageQueueId: queueId,
    /** The workflow the trigger starts (known after the workflow is published). */
    workflowId: queueId,
    /** Data Action timeout, 1–60 s; must exceed the bridge's lookup deadline. */
    timeoutSeconds: z.number().int().min(1).max(60),
    /** The bridge's LOOKUP_DEADLINE_MS, to check timeoutSeconds against. */
    lookupDeadlineMs: z.number().int().positive(),
    /** How long the queue rings the preferred agents before widening (a queue setting). */
    preferredAgentWaitSeconds: z.number().int().min(1).max(3600),
    /** Process Automation `delayBySeconds` (60–900) so analytics settle before the reconcile. */
    triggerDelaySeconds: z.number().int().min(60).max(900),
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
  actionName: 'Continuity Bridge - Routing Lookup v1',
  postEventActionName: 'Continuity Bridge - Post ACW Event v1',
  flowName: 'Continuity Bridge - Inbound WhatsApp',
  workflowName: 'Continuity Bridge - Post ACW Event',
  triggerName: 'Continuity Bridge - WhatsApp wrap-up',
  divisionName: 'Home',
  defaultQueueId: 'REPLACE_WITH_DEFAULT_QUEUE_ID',
  fallbackQueueId: 'REPLACE_WITH_FALLBACK_QUEUE_ID',
  vipQueueId: 'REPLACE_WITH_VIP_QUEUE_ID',
  triageQueueId: 'REPLACE_WITH_TRIAGE_QUEUE_ID',
  workflowId: 'REPLACE_WITH_WORKFLOW_ID',
  timeoutSeconds: 8,
  lookupDeadlineMs: 2000,
  preferredAgentWaitSeconds: 30,
  triggerDelaySeconds: 60,
};

/** Which options still hold a placeholder value (the CLI warns about them). */
export function remainingPlaceholders(options: ArtifactOptions): string[] {
  return Object.entries(options)
    .filter(([, value]) => typeof value === 'string' && /REPLACE_WITH_|example\.com/.test(value))
    .map(([key]) => key);
}
