import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { LookupRequest } from '../contracts/lookup.contract.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Logger } from '../observability/logger.ts';
import type { LookupService } from '../routing/lookup.service.ts';
import { readJson } from './json-body.ts';
import { fieldProblems, sendJson, sendProblem } from './problem.ts';

export const LOOKUP_PATH = '/v1/routing/lookup';

/** Lookup bodies are a handful of short strings; anything bigger is not a Data Action. */
export const LOOKUP_MAX_BYTES = 16 * 1024;

export interface LookupRoutes {
  post(req: IncomingMessage, res: ServerResponse): void;
  get(req: Request, res: Response): void;
}

/**
 * `POST /v1/routing/lookup` (JSON body) and `GET /v1/routing/lookup?address=…`.
 * A well-formed request always gets 200 and a flat decision (DESIGN §4); only a
 * malformed one gets a 4xx naming the problem. These handlers use plain node
 * APIs so the app can dispatch them first, ahead of express's router: the
 * lookup is the path Architect waits on.
 */
export function lookupRoutes(options: {
  service: LookupService;
  guard: (req: IncomingMessage, res: ServerResponse) => boolean;
  metrics: Metrics;
  logger: Logger;
}): LookupRoutes {
  const { service, guard, metrics, logger } = options;
  // Labelled children are looked up once: label hashing on every request is a
  // measurable share of a warm lookup.
  const durationBySource = new Map<string, { observe(seconds: number): void }>();
  const decisionCounters = new Map<string, { inc(): void }>();
  const record = (source: string, action: string, reason: string, seconds: number) => {
    let duration = durationBySource.get(source);
    if (!duration) durationBySource.set(source, (duration = metrics.lookupDuration.labels(source)));
    duration.observe(seconds);
    const key = `${action}|${reason}`;
    let counter = decisionCounters.get(key);
    if (!counter) decisionCounters.set(key, (counter = metrics.decisions.labels(action, reason)));
    counter.inc();
  };

  const answer = async (input: unknown, res: ServerResponse): Promise<void> => {
    const parsed = LookupRequest.safeParse(input);
    if (!parsed.success) {
      const { detail, errors } = fieldProblems(parsed.error);
      return sendProblem(res, 'CB_ERR_VALIDATION', detail, { errors });
    }
    const started = performance.now();
    try {
      const { decision, source } = await service.lookup(parsed.data);
      record(source, decision.action, decision.reason, (performance.now() - started) / 1000);
      if (logger.isLevelEnabled('debug')) {
        const { conversationId } = parsed.data;
        logger.debug(
          { requestId: res.getHeader('X-Request-Id'), conversationId, source, ...decision },
          'lookup',
        );
      }
      sendJson(res, 200, decision);
    } catch (error) {
      logger.error({ err: error }, 'lookup failed');
      sendProblem(res, 'CB_ERR_INTERNAL', 'The bridge could not complete the lookup.');
    }
  };

  return {
    post: (req, res) => {
      if (!guard(req, res)) return;
      readJson(req, res, LOOKUP_MAX_BYTES, (body) => {
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          return sendProblem(res, 'CB_ERR_VALIDATION', '(body): expected a JSON object', {
            errors: [{ field: '(body)', message: 'expected a JSON object' }],
          });
        }
        void answer(body, res);
      });
    },
    get: (req, res) => {
      if (!guard(req, res)) return;
      void answer({ ...req.query }, res);
    },
  };
}
