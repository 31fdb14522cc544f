import { Router } from 'express';
import { readJsonBody } from './json-body.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { parseEventsBody, type EventFilter } from '../reconcile/event-parser.ts';
import type { IngestService } from '../reconcile/ingest.service.ts';
import { sendJson, sendProblem } from './problem.ts';

/**
 * `POST /v1/events`: EventBridge envelopes or Process Automation bodies in;
 * `202 {accepted, duplicates, ignored}` out, only once the jobs are in Redis.
 */
export function eventsRouter(options: {
  ingest: IngestService;
  filter: EventFilter;
  maxBytes: number;
  metrics: Metrics;
  logger: Logger;
}): Router {
  const router = Router();
  router.post('/v1/events', readJsonBody(options.maxBytes), async (req, res) => {
    const parsed = parseEventsBody(req.body, options.filter);
    if (!parsed.ok) {
      options.metrics.eventsReceived.inc({ outcome: 'rejected' });
      const detail = parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
      return sendProblem(res, 'CB_ERR_VALIDATION', detail, { errors: parsed.issues });
    }
    const { events, ignored } = parsed.value;
    let result;
    try {
      result = await options.ingest.ingest(events, ignored);
    } catch (error) {
      options.logger.warn(
        { err: error, events: events.length },
        'events not accepted: queue unavailable',
      );
      res.setHeader('Retry-After', '5');
      return sendProblem(
        res,
        'CB_ERR_QUEUE_UNAVAILABLE',
        'The queue (Redis) did not take the events; nothing was accepted. Retry.',
      );
    }
    options.metrics.eventsReceived.inc({ outcome: 'accepted' }, result.accepted);
    options.metrics.eventsReceived.inc({ outcome: 'duplicate' }, result.duplicates);
    options.metrics.eventsReceived.inc({ outcome: 'ignored' }, result.ignored);
    sendJson(res, 202, result);
  });
  return router;
}
