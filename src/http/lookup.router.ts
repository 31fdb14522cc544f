import { Router, type Request, type RequestHandler, type Response } from 'express';
import { readJsonBody } from './json-body.ts';
import { LookupRequest } from '../contracts/lookup.contract.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Logger } from '../observability/logger.ts';
import type { LookupService } from '../routing/lookup.service.ts';
import { fieldProblems, sendProblem } from './problem.ts';

/** Lookup bodies are a handful of short strings; anything bigger is not a Data Action. */
export const LOOKUP_MAX_BYTES = 16 * 1024;

/** 415 before parsing, so a text body is reported as the wrong type, not as bad JSON. */
export const requireJson: RequestHandler = (req, res, next) => {
  if (req.is(['application/json', 'application/*+json'])) return next();
  return sendProblem(
    res,
    'CB_ERR_UNSUPPORTED_MEDIA_TYPE',
    'Send the body as Content-Type: application/json.',
  );
};

/**
 * `POST /v1/routing/lookup` (JSON body) and `GET /v1/routing/lookup?address=…`.
 * A well-formed request always gets 200 and a flat decision (DESIGN §4);
 * only a malformed one gets a 4xx naming the problem.
 */
export function lookupRouter(
  service: LookupService,
  auth: RequestHandler,
  metrics: Metrics,
  logger: Logger,
): Router {
  const router = Router();

  const answer = async (input: unknown, req: Request, res: Response) => {
    const parsed = LookupRequest.safeParse(input);
    if (!parsed.success) {
      const { detail, errors } = fieldProblems(parsed.error);
      return sendProblem(res, 'CB_ERR_VALIDATION', detail, { errors });
    }
    const stopTimer = metrics.lookupDuration.startTimer();
    const { decision, source } = await service.lookup(parsed.data);
    stopTimer({ source });
    metrics.decisions.inc({ action: decision.action, reason: decision.reason });
    if (logger.isLevelEnabled('debug')) {
      logger.debug(
        {
          requestId: res.locals.requestId,
          conversationId: parsed.data.conversationId,
          action: decision.action,
          reason: decision.reason,
          source,
        },
        'lookup',
      );
    }
    res.json(decision);
  };

  router.post('/v1/routing/lookup', auth, readJsonBody(LOOKUP_MAX_BYTES), (req, res) => {
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      return sendProblem(res, 'CB_ERR_VALIDATION', '(body): expected a JSON object', {
        errors: [{ field: '(body)', message: 'expected a JSON object' }],
      });
    }
    return answer(req.body, req, res);
  });
  router.get('/v1/routing/lookup', auth, (req, res) => answer({ ...req.query }, req, res));
  return router;
}
