import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import {
  acwBody,
  envelope,
  postJson,
  startBridge,
  TEST_TOKEN,
  testEnv,
} from '../support/bridge.ts';
import { hostileRequests, PLANTED_NUMBERS, type FuzzRequest } from '../support/fuzz-requests.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

/*
 * Hostile input on loopback: the specific attacks the issue found, then a
 * bounded, seeded fuzz run over every endpoint. Fails on any 5xx, crash, hang
 * past the lookup deadline, amplified answer, or planted number in the log.
 */

const FUZZ_SEED = 13;
const FUZZ_REQUESTS_PER_ENDPOINT = 2000;
const FUZZ_CONCURRENCY = 8;
const LOOKUP_DEADLINE_MS = 2000;
/** No answer to a bad request may be larger than this (problem details are bounded). */
const MAX_ANSWER_BYTES = 16 * 1024;

let redis: TestRedis;
let bridge: Bridge;
let url: string;
let port: number;
const log: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      log.push(String(chunk));
      done();
    },
  });
  bridge = await startBridge(
    testEnv(redis.url, { LOOKUP_DEADLINE_MS: String(LOOKUP_DEADLINE_MS) }),
    { logger: createLogger('info', sink) },
    { web: true, worker: false },
  );
  port = await bridge.listen();
  url = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await bridge?.close();
  await redis?.stop();
});

/** Writes `raw` on a fresh socket; resolves with what came back and how long it took. */
function rawRequest(raw: string, waitMs = 30_000): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
    socket.on('error', reject);
    socket.setTimeout(waitMs, () => socket.destroy());
    socket.write(raw);
  });
}

describe('hostile bodies', () => {
  it('refuses 1 MiB of [{},{},…] with a small 413 naming the item limit', async () => {
    const body = `[${'{},'.repeat(349_000)}{}]`;
    const started = performance.now();
    const res = await postJson(`${url}/v1/events`, body);
    const text = await res.text();
    expect(res.status).toBe(413);
    expect(text.length).toBeLessThan(2000);
    expect(JSON.parse(text).detail).toMatch(/at most 500 per request \(EVENTS_MAX_ITEMS\)/);
    // The lookup is not held up meanwhile.
    expect(performance.now() - started).toBeLessThan(LOOKUP_DEADLINE_MS);
  });

  it('lists at most 20 problems and counts the rest', async () => {
    const res = await postJson(
      `${url}/v1/events`,
      Array.from({ length: 400 }, () => ({})),
    );
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.errors).toHaveLength(20);
    expect(problem.errorsOmitted).toBeGreaterThan(300);
    expect(problem.detail).toMatch(/and \d+ more$/);
    expect(JSON.stringify(problem).length).toBeLessThan(4000);
  });

  it('answers 400 (not 503, retried forever) to a valid event nested 5,000 levels deep', async () => {
    const event = envelope(acwBody({ conversationId: 'deep-1' }));
    const text = JSON.stringify(event);
    const deep = `${text.slice(0, -1)},"extra":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await postJson(`${url}/v1/events`, deep);
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toMatch(/deeper than 64 levels/);
    // Nesting within the limit is still taken.
    const fine = `${text.slice(0, -1)},"extra":${'['.repeat(20)}${']'.repeat(20)}}`;
    expect((await postJson(`${url}/v1/events`, fine)).status).toBe(202);
  });

  it('refuses two Authorization headers', async () => {
    const body = '{"address":"+5511987654321"}';
    const { text } = await rawRequest(
      `POST /v1/routing/lookup HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
        `Authorization: Bearer ${TEST_TOKEN}\r\nAuthorization: Bearer attacker-token-0000000000\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(text).toMatch(/^HTTP\/1\.1 401/);
    expect(text).toContain('Send one Authorization or X-Api-Key header');
  });

  it('answers 408 to a body that is declared and never sent, within the request timeout', async () => {
    const { text, ms } = await rawRequest(
      `POST /v1/events HTTP/1.1\r\nHost: x\r\nX-Api-Key: ${TEST_TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`,
    );
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(15_000 + 2_000);
  }, 30_000);
});

describe('fuzz: thousands of malformed requests per endpoint', () => {
  async function send(request: FuzzRequest) {
    const started = performance.now();
    const res = await fetch(`${url}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    const answer = await res.arrayBuffer();
    return { status: res.status, bytes: answer.byteLength, ms: performance.now() - started };
  }

  it.each(['/v1/routing/lookup', '/v1/events'])(
    '%s: no 5xx, no hang, no amplification',
    async (path) => {
      const requests = hostileRequests(FUZZ_SEED, FUZZ_REQUESTS_PER_ENDPOINT, path, TEST_TOKEN);
      const failures: string[] = [];
      let next = 0;
      const lane = async () => {
        while (next < requests.length) {
          const request = requests[next++]!;
          const { status, bytes, ms } = await send(request);
          const sent = request.body?.length ?? 0;
          if (status >= 500) failures.push(`${status} for ${request.body?.slice(0, 80)}`);
          if (bytes > MAX_ANSWER_BYTES && bytes > sent)
            failures.push(`${bytes} bytes answering ${sent}: ${request.body?.slice(0, 80)}`);
          if (path === '/v1/routing/lookup' && ms > LOOKUP_DEADLINE_MS)
            failures.push(`${Math.round(ms)} ms for ${request.body?.slice(0, 80)}`);
        }
      };
      await Promise.all(Array.from({ length: FUZZ_CONCURRENCY }, lane));
      expect(failures.slice(0, 10)).toEqual([]);
      // Still up and answering.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const lookup = await postJson(`${url}/v1/routing/lookup`, { address: '+5511987650099' });
      expect(lookup.status).toBe(200);
    },
    120_000,
  );

  it('left no planted number unmasked in the log, and logged each request', () => {
    const text = log.join('');
    expect(text).toContain('"msg":"request"');
    for (const number of PLANTED_NUMBERS) expect(text).not.toContain(number);
    expect(text).not.toContain('unhandled error');
  });
});
