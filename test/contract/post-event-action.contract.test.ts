import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main.ts';
import { PLACEHOLDER_OPTIONS } from '../../src/genesys-artifacts/artifact-options.ts';
import { ARTIFACT_PATHS } from '../../src/genesys-artifacts/genesys-artifacts.ts';
import { startBridge, testEnv, TEST_TOKEN } from '../support/bridge.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import {
  loadAction,
  nullPaths,
  renderRequest,
  runAction,
} from '../emulators/genesys/data-action-player.ts';

/**
 * The committed post-event Data Action, played the way the trigger's workflow
 * runs it: the trigger sends the event as JSON (`dataFormat: Json`), the
 * workflow reads each field the action takes as text
 * (`ToString(GetJsonObjectProperty(Flow.jsonData, "…"))`), and the action posts
 * them with the topic to `POST /v1/events`, numbers written back as numbers.
 */

const CREDENTIALS = { apiKey: TEST_TOKEN };
const action = loadAction(ARTIFACT_PATHS.postEventAction);

const envelope = JSON.parse(
  readFileSync(new URL('../fixtures/genesys/eventbridge-envelope.json', import.meta.url), 'utf8'),
) as { detail: { topicName: string; eventBody: Record<string, unknown> } };

/**
 * What the Json-format workflow passes: the action's fields read from the event
 * JSON as text (a field the event lacks stays unset), and the topic it rebuilds.
 */
function workflowInputs(
  body: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Record<string, string> {
  const merged = { ...body, ...overrides };
  const fields = Object.keys(action.contract.input.inputSchema.properties).filter(
    (name) => name !== 'topicName' && merged[name] !== undefined && merged[name] !== null,
  );
  return {
    ...Object.fromEntries(fields.map((name) => [name, String(merged[name])])),
    topicName: `v2.detail.events.conversation.${String(merged.conversationId)}.acw`,
  };
}

let redis: TestRedis;
let bridge: Bridge;
let origin = '';

beforeAll(async () => {
  redis = await startRedis();
  bridge = await startBridge(testEnv(redis.url));
  origin = `http://127.0.0.1:${await bridge.listen()}`;
});

afterAll(async () => {
  await bridge?.close();
  await redis?.stop();
});

async function post(input: Record<string, unknown>) {
  const run = await runAction(action, origin, input, CREDENTIALS);
  expect(run.status, run.body).toBe(202);
  expect(nullPaths(JSON.parse(run.body))).toEqual([]);
  if (run.outcome.path !== 'success') throw new Error(`Failure path: ${run.outcome.body}`);
  return run.outcome.output;
}

describe('post-event Data Action against a running bridge', () => {
  it('renders the event fields and the topic into a JSON body for /v1/events', () => {
    const input = workflowInputs(envelope.detail.eventBody, {
      wrapupNotes: 'said "call me"\nback \\ later',
    });
    const request = renderRequest(action, input, CREDENTIALS);
    expect(request.url).toBe(`${PLACEHOLDER_OPTIONS.bridgeUrl}/v1/events`);
    expect(request.headers['X-Api-Key']).toBe(TEST_TOKEN);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      eventTime: envelope.detail.eventBody.eventTime,
      conversationId: envelope.detail.eventBody.conversationId,
      wrapupNotes: 'said "call me"\nback \\ later',
      wrapupDurationMs: 15234,
      topicName: envelope.detail.topicName,
    });
    expect(body).not.toHaveProperty('conversationExternalContactIds');
  });

  const NONE = { accepted: 0, duplicates: 0, ignored: 0, rejected: 0, rejectedReasons: [] };

  it('a WhatsApp wrap-up is accepted once, then counted as a duplicate', async () => {
    const input = workflowInputs(envelope.detail.eventBody, {
      conversationId: 'c0ffee00-0000-4000-8000-000000000001',
    });
    expect(await post(input)).toEqual({ ...NONE, accepted: 1 });
    expect(await post(input)).toEqual({ ...NONE, duplicates: 1 });
  });

  it('another channel is ignored, still a Success', async () => {
    const input = workflowInputs(envelope.detail.eventBody, {
      conversationId: 'c0ffee00-0000-4000-8000-000000000002',
      messageType: 'SMS',
    });
    expect(await post(input)).toEqual({ ...NONE, ignored: 1 });
  });

  it('a 13-digit eventTime arrives intact, as a JSON number', () => {
    const eventTime = 1_733_402_123_457; // far beyond a 32-bit integer
    const input = workflowInputs(envelope.detail.eventBody, { eventTime });
    expect(input.eventTime).toBe('1733402123457');
    const body = JSON.parse(renderRequest(action, input, CREDENTIALS).body) as {
      eventTime: unknown;
    };
    expect(body.eventTime).toBe(eventTime);
  });

  it('an event with only the required fields is accepted as acw', async () => {
    const output = await post({
      eventTime: '1700000000000',
      conversationId: 'c0ffee00-0000-4000-8000-000000000003',
      mediaType: 'MESSAGE',
      messageType: 'WHATSAPP',
    });
    expect(output).toEqual({ ...NONE, accepted: 1 });
  });
});
