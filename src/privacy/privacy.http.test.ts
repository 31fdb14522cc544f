import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../http/app.ts';
import { tokenIdOf } from '../http/auth.middleware.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { listen, type RunningApp } from '../../test/support/http.ts';
import type { DataSubject, PersonalDataStore } from './personal-data.port.ts';
import { privacyRoute, PRIVACY_PATH } from './privacy.http.ts';
import { PrivacyService } from './privacy.service.ts';

const API_TOKEN = 'data-action-token-0123456789';
const ADMIN_TOKEN = 'admin-token-abcdefghijklmnop';

/** A store that remembers the subjects it was asked about. */
function recordingStore(): PersonalDataStore & { erased: DataSubject[] } {
  const erased: DataSubject[] = [];
  return {
    name: 'memory',
    erased,
    exportSubject: async (subject) => ({
      store: 'memory',
      items: { rows: subject.keys.map((key) => ({ key: key.value })) },
    }),
    conversationsOf: async () => ['conv-1'],
    eraseSubject: async (subject, { dryRun }) => {
      if (!dryRun) erased.push(subject);
      return { rows: subject.keys.length };
    },
    purgeOlderThan: async () => ({ rows: 0 }),
  };
}

let app: RunningApp;
const store = recordingStore();
const lines: string[] = [];

beforeAll(async () => {
  const service = new PrivacyService({
    stores: [store],
    tombstones: {
      erasedAt: async (keys) => keys.map(() => null),
      record: async () => {},
      hash: (key) => `hash-of-${key.kind}`,
    },
    lockCustomer: (_keys, work) => work(),
    clock: { now: () => Date.now() },
    logger: createLogger('info', { write: (line: string) => void lines.push(line) }),
    historyRetentionMs: 365 * 86_400_000,
  });
  app = await listen(
    buildApp({
      routes: [privacyRoute(service)],
      apiTokens: [API_TOKEN],
      adminTokens: [ADMIN_TOKEN],
      metrics: createMetrics(),
      logger: createLogger('silent'),
      readiness: [],
      openApi: {},
    }),
  );
});
afterAll(() => app.close());

const post = (body: unknown, token?: string) =>
  fetch(`${app.url}${PRIVACY_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });

const deleteRequest = {
  requestType: 'GDPR_DELETE',
  subject: {
    phoneNumbers: ['+55 11 98765-4321'],
    socialHandle: { type: 'whatsapp', value: 'BR.1502576394655843' },
  },
};

describe('POST /v1/privacy/requests', () => {
  it('answers 403 to a Data Action (API) token and 401 to none, and erases nothing', async () => {
    const forbidden = await post(deleteRequest, API_TOKEN);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'CB_ERR_FORBIDDEN' });
    expect((await post(deleteRequest)).status).toBe(401);
    expect((await post(deleteRequest, 'not-a-token-at-all-xx')).status).toBe(401);
    expect(store.erased).toEqual([]);
  });

  it('erases with an admin token: number and BSUID, per-store counts, one audit line naming the token', async () => {
    const response = await post(deleteRequest, ADMIN_TOKEN);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      requestType: 'GDPR_DELETE',
      dryRun: false,
      stores: { memory: { rows: 2 } },
    });
    expect(store.erased[0]?.keys).toEqual([
      { kind: 'phone', value: '5511987654321' },
      { kind: 'bsuid', value: 'BR.1502576394655843' },
    ]);
    const audit = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(audit).toMatchObject({
      audit: 'privacy',
      type: 'delete',
      caller: `token:${tokenIdOf(ADMIN_TOKEN)}`,
      subjects: ['hash-of-phone', 'hash-of-bsuid'],
      counts: { memory: { rows: 2 } },
    });
    expect(lines.join('\n')).not.toContain('987654321');
  });

  it('answers an export with the data', async () => {
    const response = await post({ ...deleteRequest, requestType: 'GDPR_EXPORT' }, ADMIN_TOKEN);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      requestType: 'GDPR_EXPORT',
      keys: ['phone:5511987654321', 'bsuid:BR.1502576394655843'],
      conversationIds: ['conv-1'],
      stores: [
        {
          store: 'memory',
          items: { rows: [{ key: '5511987654321' }, { key: 'BR.1502576394655843' }] },
        },
      ],
    });
  });

  it('names what is wrong with a request: no subject, GDPR_UPDATE, a handle that is not WhatsApp, a non-number', async () => {
    for (const [body, field] of [
      [{ requestType: 'GDPR_DELETE', subject: {} }, 'subject'],
      [{ ...deleteRequest, requestType: 'GDPR_UPDATE' }, 'requestType'],
      [
        { requestType: 'GDPR_DELETE', subject: { socialHandle: { type: 'twitter', value: 'x' } } },
        'subject.socialHandle.type',
      ],
    ] as const) {
      const response = await post(body, ADMIN_TOKEN);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain(field);
    }
    const notANumber = await post(
      { requestType: 'GDPR_DELETE', subject: { phoneNumbers: ['call me maybe'] } },
      ADMIN_TOKEN,
    );
    expect(notANumber.status).toBe(400);
  });
});
