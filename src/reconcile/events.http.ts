import { BridgeError } from '../errors/catalogue.ts';
import { validationError } from '../errors/field-problems.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { HttpRoute } from '../ports/http-route.port.ts';
import { parseEventsBody, type EventFilter } from './event-parser.ts';
import type { IngestService } from './ingest.service.ts';

export const EVENTS_PATH = '/v1/events';
/** Seconds a sender is asked to wait when the queue (Redis) cannot take events. */
const RETRY_AFTER_SECONDS = 5;

/**
 * `POST /v1/events`: EventBridge envelopes or Process Automation bodies in;
 * `202 {accepted, duplicates, ignored, rejected, rejectedReasons}` out, only
 * once the jobs are in Redis.
 */
export function eventsRoute(options: {
  ingest: IngestService;
  filter: EventFilter;
  maxBytes: number;
  /** Most events per request: a body of a million `{}` is refused before any is validated. */
  maxItems: number;
  metrics: Metrics;
  logger: Logger;
}): HttpRoute {
  const { ingest, filter, metrics, logger } = options;
  return {
    method: 'POST',
    path: EVENTS_PATH,
    input: { from: 'body', maxBytes: options.maxBytes },
    handle: async (body) => {
      if (Array.isArray(body) && body.length > options.maxItems) {
        metrics.eventsReceived.inc({ outcome: 'rejected' });
        throw new BridgeError(
          'CB_ERR_PAYLOAD_TOO_LARGE',
          `The body holds ${body.length} events; send at most ${options.maxItems} per request (EVENTS_MAX_ITEMS).`,
        );
      }
      const parsed = parseEventsBody(body, filter);
      if (!parsed.ok) {
        metrics.eventsReceived.inc({ outcome: 'rejected' });
        throw validationError(parsed.issues);
      }
      const { events, ignored } = parsed.value;
      let result;
      try {
        result = await ingest.ingest(events, ignored);
      } catch (error) {
        if (error instanceof BridgeError && error.code === 'CB_ERR_NOT_REPLICATED') {
          logger.warn({ err: error, events: events.length }, 'events not acknowledged: no replica');
          throw new BridgeError(error.code, error.message, {
            cause: error,
            details: { ...error.details, retryAfterSeconds: RETRY_AFTER_SECONDS },
          });
        }
        logger.warn(
          { err: error, events: events.length },
          'events not accepted: queue unavailable',
        );
        throw new BridgeError(
          'CB_ERR_QUEUE_UNAVAILABLE',
          'The queue (Redis) did not take the events; nothing was accepted. Retry.',
          { cause: error, details: { retryAfterSeconds: RETRY_AFTER_SECONDS } },
        );
      }
      metrics.eventsReceived.inc({ outcome: 'accepted' }, result.accepted);
      metrics.eventsReceived.inc({ outcome: 'duplicate' }, result.duplicates);
      metrics.eventsReceived.inc({ outcome: 'ignored' }, result.ignored);
      metrics.eventsReceived.inc({ outcome: 'refused' }, result.rejected);
      if (result.rejected > 0) {
        // Reasons name conversations and times, never a customer's address.
        logger.warn(
          { refused: result.rejected, reasons: result.rejectedReasons },
          'events refused',
        );
      }
      return { status: 202, body: result };
    },
  };
}
