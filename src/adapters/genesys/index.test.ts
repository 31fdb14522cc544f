import { describe, expect, it } from 'vitest';
import { unknownAvailability } from '../../routing/availability.port.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  REGION,
  capturedLogger,
  nockApi,
  nockLogin,
  recordingRecorder,
  useGenesysNock,
} from '../../../test/support/genesys-nock.ts';
import { routingStatus, user, IDS } from '../../../test/support/genesys-payloads.ts';
import { createGenesysAdapters } from './index.ts';

useGenesysNock();

const config = (availability: boolean) =>
  ({ enabled: true, region: REGION, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, availability }) as const;

describe('createGenesysAdapters', () => {
  it('builds the three adapters over one client and one token', async () => {
    const recorder = recordingRecorder();
    const { logger } = capturedLogger();
    const adapters = createGenesysAdapters({ config: config(true), recorder, logger, availabilityCacheSeconds: 30 });
    const agent = IDS.agentA;
    nockLogin('token-1');
    nockApi('token-1').get(`/api/v2/users/${agent}`).reply(200, user(agent, 'Ana Souza'));
    nockApi('token-1').get(`/api/v2/users/${agent}/routingstatus`).reply(200, routingStatus(agent, 'OFF_QUEUE'));

    expect(adapters.client.environment).toBe('mypurecloud.ie');
    await expect(adapters.names.agentName(agent)).resolves.toBe('Ana Souza');
    const availability = await adapters.availability.getAvailability([agent]);
    expect(availability.get(agent)).toEqual({ status: 'off_queue', queueIds: [] });
    expect(recorder.calls.filter((call) => call.startsWith('login'))).toEqual(['login:ok']);
  });

  it('uses unknownAvailability when GENESYS_AVAILABILITY is off', () => {
    const adapters = createGenesysAdapters({
      config: config(false),
      recorder: recordingRecorder(),
      logger: capturedLogger().logger,
      availabilityCacheSeconds: 30,
    });
    expect(adapters.availability).toBe(unknownAvailability);
  });

  it('rejects an unknown region at construction', () => {
    expect(() =>
      createGenesysAdapters({
        config: { ...config(true), region: 'atlantis' },
        recorder: recordingRecorder(),
        logger: capturedLogger().logger,
        availabilityCacheSeconds: 30,
      }),
    ).toThrow(expect.objectContaining({ code: 'CB_ERR_CONFIG' }));
  });
});
