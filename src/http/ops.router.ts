import { Router } from 'express';
import type { Metrics } from '../observability/metrics.ts';

/** A dependency the bridge needs to serve; `check` throws when it is not reachable. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

const READINESS_TIMEOUT_MS = 1500;

async function probe(
  check: ReadinessCheck,
): Promise<{ name: string; ok: boolean; error?: string }> {
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
    return { name: check.name, ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz` (process up), `/readyz` (Redis and CRM reachable), `/metrics`, `/openapi.json`. */
export function opsRouter(options: {
  metrics: Metrics;
  readiness: readonly ReadinessCheck[];
  openApi: Record<string, unknown>;
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const checks = await Promise.all(options.readiness.map(probe));
    // While draining, load balancers must stop sending traffic here.
    if (req.app.locals.draining) checks.push({ name: 'shutdown', ok: false, error: 'draining' });
    const ready = checks.every((c) => c.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(options.openApi);
  });
  return router;
}
