import type { Clock } from '../ports/clock.port.ts';
import type { ConversationSource } from '../ports/conversation-source.port.ts';
import type { IngestService } from './ingest.service.ts';

/**
 * The safety net for lost events (DESIGN §1): asks Genesys analytics which
 * WhatsApp conversations ended in the last window (windows overlap from run to
 * run) and enqueues them. Conversations already reconciled are skipped by the
 * worker without a CRM call, so overlap costs only a Redis read.
 */
export async function sweepEndedConversations(deps: {
  conversations: ConversationSource;
  ingest: IngestService;
  clock: Clock;
  windowMs: number;
  source?: 'sweep' | 'manual';
  until?: number;
}): Promise<number> {
  const end = deps.until ?? deps.clock.now();
  const ids = await deps.conversations.listEndedConversations(end - deps.windowMs, end);
  await deps.ingest.enqueue(ids, deps.source ?? 'sweep');
  return ids.length;
}
