import type { Clock } from '../ports/clock.port.ts';
import type { ConversationSource } from './conversation-source.port.ts';
import type { ReconcileQueue } from './reconcile-queue.port.ts';

/**
 * The safety net for lost events (DESIGN §1): asks Genesys analytics which
 * WhatsApp conversations ended in the last window (windows overlap from run to
 * run) and enqueues them. Conversations already reconciled are skipped by the
 * worker without a CRM call, so overlap costs only a Redis read.
 */
export async function sweepEndedConversations(deps: {
  conversations: ConversationSource;
  queue: ReconcileQueue;
  clock: Clock;
  windowMs: number;
  source?: 'sweep' | 'manual';
  until?: number;
}): Promise<number> {
  const end = deps.until ?? deps.clock.now();
  const ids = await deps.conversations.listEndedConversations(end - deps.windowMs, end);
  const source = deps.source ?? 'sweep';
  const enqueuedAt = deps.clock.now();
  await deps.queue.enqueue(ids.map((conversationId) => ({ conversationId, source, enqueuedAt })));
  return ids.length;
}
