import { z } from 'zod';

/**
 * Values that end up inside the generated Archy YAML, and the per-queue
 * opening hours the inbound flow evaluates. The schedule sits in the bridge's
 * policy file (`QUEUE_POLICY_FILE`, `queues.<queueId>.schedule`): one file
 * says how a queue routes and when it is open.
 */

/** Queue ids end up inside Architect string literals: keep them to safe characters. */
export const ArchyQueueId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a Genesys queue id (letters, digits, - or _)');

/** Names end up in YAML, in Architect category/action keys and in string literals. */
export const ArchyName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^"\\\n\r{}$]+$/, 'must not contain quotes, backslashes, braces, $ or new lines');

/** A message to the customer (a YAML literal, never an expression). Empty turns it off. */
export const CustomerMessage = z
  .string()
  .trim()
  .max(1000)
  .refine(
    // New lines are allowed (a WhatsApp message may have several); other control characters are not.
    (text) => [...text].every((c) => c === '\n' || c.charCodeAt(0) >= 0x20),
    'must not contain control characters',
  );

export const QueueSchedule = z
  .object({
    /** Architect schedule group: closed and holiday send the customer to offHoursQueueId. */
    scheduleGroup: ArchyName.optional(),
    /** Architect emergency group: when active, the customer goes to emergencyQueueId. */
    emergencyGroup: ArchyName.optional(),
    /** Where closed-hours messages wait; the fallback queue when left out. */
    offHoursQueueId: ArchyQueueId.optional(),
    /** Where messages go during an emergency; the fallback queue when left out. */
    emergencyQueueId: ArchyQueueId.optional(),
    /** Replaces the generator's closed-hours message for this queue. */
    closedMessage: CustomerMessage.optional(),
    /** Replaces the generator's emergency message for this queue. */
    emergencyMessage: CustomerMessage.optional(),
  })
  .strict()
  .refine((s) => s.scheduleGroup !== undefined || s.emergencyGroup !== undefined, {
    message: 'needs a scheduleGroup, an emergencyGroup or both',
  });
export type QueueSchedule = z.output<typeof QueueSchedule>;
