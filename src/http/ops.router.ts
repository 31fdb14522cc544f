import { Router, type RequestHandler } from 'express';
import type { Metrics } from '../observability/metrics.ts';

/** A dependency the bridge needs to serve; `check` throws when it is not reachable. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

const READINESS_TIMEOUT_MS = 1500;

/** Thrown by a readiness check with a plain reason (`unreachable`) instead of a client's message. */
export class NotReadyError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'NotReadyError';
    this.reason = reason;
  }
}

/** A plain reason for a failed check: the check's own, `no_answer` on timeout, else `failing`. */
function reasonOf(error: unknown): string {
  if (error instanceof NotReadyError) return error.reason;
  if (error instanceof Error && /timed? ?out|no answer within/i.test(error.message))
    return 'no_answer';
  return 'failing';
}

interface Probed {
  readonly name: string;
  readonly ok: boolean;
  readonly reason?: string;
}

async function probe(check: ReadinessCheck): Promise<Probed> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)),
      READINESS_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { name: check.name, ok: true };
  } catch (error) {
    return { name: check.name, ok: false, reason: reasonOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` (process up), `/readyz` (Redis and CRM reachable), `/metrics`,
 * `/openapi.json`. Health and readiness stay open for load balancers;
 * `metricsGuard` (the API token on the API port) protects `/metrics`.
 */
export function opsRouter(options: {
  metrics: Metrics;
  readiness: readonly ReadinessCheck[];
  openApi: Record<string, unknown>;
  metricsGuard?: RequestHandler;
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const checks = await Promise.all(options.readiness.map(probe));
    // While draining, load balancers must stop sending traffic here.
    if (req.app.locals.draining) checks.push({ name: 'shutdown', ok: false, reason: 'draining' });
    const ready = checks.every((c) => c.ok);
    // `reasons` names each failing part in plain words: {"redis": "unreachable"}.
    const reasons = Object.fromEntries(
      checks.filter((c) => !c.ok).map((c) => [c.name, c.reason ?? 'failing']),
    );
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', ...(ready ? {} : { reasons }), checks });
  });
  const open: RequestHandler = (_req, _res, next) => next();
  router.get('/metrics', options.metricsGuard ?? open, async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(options.openApi);
  });
  return router;
}
