import { z } from 'zod';
import { OWNERSHIP_SOURCES } from '../domain/ownership.ts';

/**
 * What a reconcile job carries in Redis: ids only, never the customer's number
 * (BullMQ stores job data in clear text). The worker reads the events of the
 * conversation from the event log.
 */
export const ReconcileJobData = z.object({
  conversationId: z.string().min(1).max(128),
  source: z.enum(OWNERSHIP_SOURCES),
  enqueuedAt: z.number().int().nonnegative(),
});
export type ReconcileJobData = z.output<typeof ReconcileJobData>;
