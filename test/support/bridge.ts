import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import {
  createBridge,
  type Bridge,
  type BridgeOverrides,
  type BridgeRoles,
} from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { tempDir } from './temp-dir.ts';

export const TEST_TOKEN = 'integration-token-0123456789';

/** Environment for a bridge on a private Redis and a fresh SQLite file. */
export function testEnv(
  redisUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const dir = tempDir('cb-bridge-');
  return {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `{cb-test-${Math.random().toString(36).slice(2, 8)}}`,
    API_TOKENS: TEST_TOKEN,
    SQLITE_PATH: join(dir, 'store.sqlite'),
    RECONCILE_DELAY_MS: '0',
    COMMIT_BATCH_WINDOW_MS: '5',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ...extra,
  };
}

export async function startBridge(
  env: Record<string, string>,
  overrides: BridgeOverrides = {},
  roles?: BridgeRoles,
): Promise<Bridge> {
  return createBridge(loadConfig(env), { logger: createLogger('silent'), ...overrides }, roles);
}

export async function postJson(url: string, body: unknown, token = TEST_TOKEN): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': token },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** An acw event body as Genesys documents it (AcwDetailEventTopicAfterCallWorkEvent). */
export function acwBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventTime: Date.now() - 60_000,
    conversationId: '9bd13240-8441-404f-bd30-a6a8babba5d4',
    participantId: '7fe59e83-106c-412b-930f-b2e1ec6efc56',
    mediaType: 'MESSAGE',
    direction: 'INBOUND',
    ani: '+14155550123',
    addressFrom: '+14155550123',
    addressTo: '+14155550100',
    messageType: 'WHATSAPP',
    userId: '91979899-5186-4cee-beaa-1abafca462f9',
    queueId: '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec',
    wrapupCode: 'c4460a70-3420-4d8e-a0a3-0218e1b51e6d',
    ...overrides,
  };
}

export function envelope(body: Record<string, unknown>, kind = 'acw'): Record<string, unknown> {
  const at = new Date(
    typeof body.eventTime === 'number' ? body.eventTime : Date.now(),
  ).toISOString();
  return {
    version: '0',
    id: `delivery-${String(body.conversationId)}-${String(body.eventTime)}`,
    'detail-type': `v2.detail.events.conversation.{id}.${kind}`,
    source: 'aws.partner/genesys.com/cloud/bb14bed0-f8f9-445d-b9d1-10cecb8569d6/quickstart-test',
    account: '123456789',
    time: at,
    region: 'us-east-1',
    resources: [],
    detail: {
      topicName: `v2.detail.events.conversation.${String(body.conversationId)}.${kind}`,
      version: '2',
      eventBody: body,
      metadata: { CorrelationId: 'b61df0b3-9e33-444b-a455-1c92a33ef4e2-archival' },
      timestamp: at,
    },
  };
}
