import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/** Conversations remembered as already logged; older ones may be logged again. */
const REMEMBERED = 10_000;

export type UntrustedTimeSource = 'event' | 'genesys';

/**
 * Counts every time capped at its receipt and logs it once per conversation
 * (a sender with a wrong clock would otherwise flood the log with one line per
 * event and retry). Logs carry the conversation id only, never the customer.
 */
export function untrustedTimeReporter(
  metrics: Metrics,
  logger: Logger,
): (conversationId: string, source: UntrustedTimeSource) => void {
  const logged = new Set<string>();
  return (conversationId, source) => {
    metrics.untrustedTimes.inc({ source });
    if (logged.has(conversationId)) return;
    if (logged.size >= REMEMBERED) logged.delete(logged.values().next().value!);
    logged.add(conversationId);
    logger.warn(
      { conversationId, source },
      'a time later than its receipt plus MAX_EVENT_SKEW_MS was capped at the receipt',
    );
  };
}
