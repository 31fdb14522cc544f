import { fieldProblems, validationError } from '../errors/field-problems.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { HttpRoute } from '../ports/http-route.port.ts';
import { LookupRequest } from './lookup.contract.ts';
import type { LookupService } from './lookup.service.ts';

export const LOOKUP_PATH = '/v1/routing/lookup';
/** Lookup bodies are a handful of short strings; anything bigger is not a Data Action. */
export const LOOKUP_MAX_BYTES = 16 * 1024;

/**
 * `POST /v1/routing/lookup` (JSON body) and `GET /v1/routing/lookup?address=…`.
 * A well-formed request always gets 200 and a flat decision (DESIGN §4); only a
 * malformed one gets a 4xx naming the problem. Both are `hot`: the shell
 * dispatches them ahead of express's router, because Architect waits on them.
 */
export function lookupRoutes(options: {
  service: LookupService;
  metrics: Metrics;
  logger: Logger;
}): HttpRoute[] {
  const { service, metrics, logger } = options;
  // The hot-path metrics keep one child per label set (observability/hot-path-metrics.ts).
  const record = (source: string, action: string, reason: string, seconds: number) => {
    metrics.lookupDuration.labels(source).observe(seconds);
    metrics.decisions.labels(action, reason).inc();
  };

  const answer = async (input: unknown, requestId: string) => {
    const parsed = LookupRequest.safeParse(input);
    if (!parsed.success) throw validationError(fieldProblems(parsed.error));
    const started = performance.now();
    const { decision, json, source } = await service.lookup(parsed.data);
    record(source, decision.action, decision.reason, (performance.now() - started) / 1000);
    if (logger.isLevelEnabled('debug')) {
      const { conversationId } = parsed.data;
      // Routing fields only: notes, summary, attributes and names are personal data.
      const { found, action, reason, queueId, agentIds, ageMinutes, unresolved, priority } =
        decision;
      const routed = { found, action, reason, queueId, agentIds, ageMinutes, unresolved, priority };
      logger.debug({ requestId, conversationId, source, ...routed }, 'lookup');
    }
    return { status: 200, body: decision, json };
  };

  return [
    {
      method: 'POST',
      path: LOOKUP_PATH,
      input: { from: 'body', maxBytes: LOOKUP_MAX_BYTES },
      hot: true,
      handle: (body, { requestId }) => {
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          return Promise.reject(
            validationError([{ field: '(body)', message: 'expected a JSON object' }]),
          );
        }
        return answer(body, requestId);
      },
    },
    {
      method: 'GET',
      path: LOOKUP_PATH,
      input: { from: 'query' },
      hot: true,
      handle: (query, { requestId }) => answer(query, requestId),
    },
  ];
}
