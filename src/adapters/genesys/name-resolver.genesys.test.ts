import { describe, expect, it } from 'vitest';
import {
  nockApi,
  nockLogin,
  testClient,
  useGenesysNock,
} from '../../../test/support/genesys-nock.ts';
import { errorBody, queue, user, wrapupCode, IDS } from '../../../test/support/genesys-payloads.ts';
import { GenesysNameResolver } from './name-resolver.genesys.ts';

useGenesysNock();

const USER = IDS.agentA;
const QUEUE = IDS.queueA;
const WRAPUP = IDS.wrapupA;

function resolver(options: { now?: () => number; maxEntries?: number } = {}) {
  const { client, logger, lines, recorder } = testClient();
  nockLogin('token-1');
  const names = new GenesysNameResolver({ client, logger, ttlMs: 60_000, ...options });
  return { names, lines, recorder };
}

describe('GenesysNameResolver', () => {
  it('resolves user, queue and wrap-up code names once, then from memory', async () => {
    const { names, recorder } = resolver();
    nockApi('token-1').get(`/api/v2/users/${USER}`).reply(200, user(USER, 'Ana Souza'));
    nockApi('token-1').get(`/api/v2/routing/queues/${QUEUE}`).reply(200, queue(QUEUE, 'WhatsApp Support'));
    nockApi('token-1').get(`/api/v2/routing/wrapupcodes/${WRAPUP}`).reply(200, wrapupCode(WRAPUP, 'Resolved'));

    for (let round = 0; round < 2; round++) {
      await expect(names.agentName(USER)).resolves.toBe('Ana Souza');
      await expect(names.queueName(QUEUE)).resolves.toBe('WhatsApp Support');
      await expect(names.wrapupName(WRAPUP)).resolves.toBe('Resolved');
    }
    expect(recorder.calls).toEqual([
      'login:ok',
      'getUser:ok',
      'getRoutingQueue:ok',
      'getRoutingWrapupcode:ok',
    ]);
  });

  it('shares one request between concurrent callers', async () => {
    const { names } = resolver();
    nockApi('token-1').get(`/api/v2/users/${USER}`).delay(30).reply(200, user(USER, 'Ana Souza'));

    const answers = await Promise.all([names.agentName(USER), names.agentName(USER), names.agentName(USER)]);
    expect(answers).toEqual(['Ana Souza', 'Ana Souza', 'Ana Souza']);
  });

  it('answers "" and warns on failure, without caching the failure', async () => {
    const { names, lines } = resolver();
    nockApi('token-1').get(`/api/v2/users/${USER}`).reply(500, errorBody(500, 'internal.server.error', 'Oops'));
    nockApi('token-1').get(`/api/v2/users/${USER}`).reply(200, user(USER, 'Ana Souza'));

    await expect(names.agentName(USER)).resolves.toBe('');
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, kind: 'user', id: USER, msg: expect.stringContaining('name lookup failed') }),
    );
    await expect(names.agentName(USER)).resolves.toBe('Ana Souza');
  });

  it('caches a 404 as "" and never calls Genesys for an empty id', async () => {
    const { names, recorder } = resolver();
    nockApi('token-1').get(`/api/v2/routing/wrapupcodes/${WRAPUP}`).reply(404, errorBody(404, 'not.found', 'Gone'));

    await expect(names.wrapupName(WRAPUP)).resolves.toBe('');
    await expect(names.wrapupName(WRAPUP)).resolves.toBe('');
    await expect(names.queueName('')).resolves.toBe('');
    // One request: the second answer came from memory (a 404 counts as answered).
    expect(recorder.calls).toEqual(['login:ok', 'getRoutingWrapupcode:ok']);
  });

  it('asks again after the TTL, and keeps at most maxEntries names', async () => {
    let now = 1_000_000;
    const { names } = resolver({ now: () => now, maxEntries: 1 });
    const other = IDS.agentB;
    nockApi('token-1').get(`/api/v2/users/${USER}`).reply(200, user(USER, 'Ana Souza'));
    nockApi('token-1').get(`/api/v2/users/${USER}`).reply(200, user(USER, 'Ana Souza Lima'));
    nockApi('token-1').get(`/api/v2/users/${other}`).reply(200, user(other, 'Bruno'));
    nockApi('token-1').get(`/api/v2/users/${USER}`).reply(200, user(USER, 'Ana S. Lima'));

    await expect(names.agentName(USER)).resolves.toBe('Ana Souza');
    now += 60_001;
    await expect(names.agentName(USER)).resolves.toBe('Ana Souza Lima');
    await expect(names.agentName(other)).resolves.toBe('Bruno'); // evicts USER
    await expect(names.agentName(USER)).resolves.toBe('Ana S. Lima');
  });
});
