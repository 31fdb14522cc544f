import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { listen, type RunningApp } from '../../test/support/http.ts';
import { buildApp } from './app.ts';

const TOKEN = 'test-token-0123456789abcdef';
const lines: Array<Record<string, unknown>> = [];
let running: RunningApp;

beforeAll(async () => {
  const logger = createLogger('info', {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const metrics = createMetrics();
  const app = buildApp({
    routes: [],
    apiTokens: [TOKEN],
    metrics,
    logger,
    readiness: [],
    openApi: { openapi: '3.0.3' },
  });
  running = await listen(app);
});
afterAll(() => running.close());

describe('the access log', () => {
  it('writes one line per request at info: method, route, status, ms, request id; no query, numbers masked', async () => {
    lines.length = 0;
    await fetch(`${running.url}/v1/routing/lookup/5511987654321?address=%2B5511987654321`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    await fetch(`${running.url}/healthz`);
    await expect.poll(() => lines.filter((l) => l.msg === 'request').length).toBe(1);
    const [line] = lines.filter((l) => l.msg === 'request');
    expect(line).toMatchObject({
      level: 30,
      method: 'GET',
      route: expect.stringMatching(/^\/v1\/routing\/lookup\/55\*+321$/),
      status: 404,
      ms: expect.any(Number),
      requestId: expect.any(String),
    });
    expect(JSON.stringify(lines)).not.toContain('5511987654321');
  });
});
