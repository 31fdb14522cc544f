import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, seedPhone, type SalesforceEmulator } from './emulator.ts';
import { storeOnEmulator } from './emulator-store.ts';
import type { OwnershipStore } from '../../../src/ports/ownership-store.port.ts';
import { anOwnership, aPhoneKey } from '../../factories/ownership.factory.ts';

// The emulator's bad days, driven by the real adapter: what Salesforce answers
// (reference §2.1, §2.5) and what it counts against the daily allocation.
let emulator: SalesforceEmulator;
let store: OwnershipStore;

beforeEach(async () => {
  emulator = await startSalesforceEmulator({
    seed: { contacts: 2 },
    clientId: 'bench-client',
    clientSecret: 'bench-secret',
  });
  store = storeOnEmulator(emulator, { clientId: 'bench-client', clientSecret: 'bench-secret' });
});

afterEach(async () => {
  await store.close();
  await emulator.close();
});

const history = () => [...emulator.tables.get('Conversation_Ownership__c')!.values()];
const change = (conversationId: string) => ({
  key: aPhoneKey(seedPhone(0)),
  ownership: anOwnership({ conversationId }),
});

describe('Salesforce emulator faults', () => {
  it('answers 503 SERVER_UNAVAILABLE to every call during an outage, uncounted, then serves again', async () => {
    emulator.faults.set({ down: true });

    await expect(store.ping()).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
    const [result] = await store.commit([change('conv-outage')]);

    expect(result).toMatchObject({ status: 'failed', retryable: true });
    expect(emulator.calls).toBe(0);
    expect(emulator.faults.injected.unavailable).toBe(2);
    emulator.faults.clear();
    await store.ping();
    expect(emulator.calls).toBe(1);
  });

  it('expires the session with 401 INVALID_SESSION_ID; the adapter refreshes and the replay is the one call counted', async () => {
    emulator.faults.set({ next: ['sessionExpired'] });

    const [result] = await store.commit([change('conv-session')]);

    expect(result?.status).toBe('applied');
    expect(emulator.faults.injected.sessionExpired).toBe(1);
    expect(emulator.callsByKind).toEqual({ composite_read: 1, composite_write: 1 });
  });

  it('fails every record of a locked write with UNABLE_TO_LOCK_ROW, retryable, writing nothing', async () => {
    emulator.faults.set({ rates: { lockRow: 1 } });

    const results = await store.commit([change('conv-lock-1'), change('conv-lock-2')]);

    expect(results).toEqual([
      expect.objectContaining({ status: 'failed', retryable: true }),
      expect.objectContaining({ status: 'failed', retryable: true }),
    ]);
    expect(history()).toEqual([]);
    expect(emulator.calls).toBe(2);
  });

  it('loses the answer after the write: the rows are there and counted, the caller sees a retryable failure', async () => {
    // Call 1 is the Composite read, call 2 the Composite write.
    emulator.faults.set({ next: ['none', 'lostAnswer'] });

    const [result] = await store.commit([change('conv-lost')]);

    expect(result).toMatchObject({ status: 'failed', retryable: true });
    expect(history().map((h) => h.Conversation_Id__c)).toEqual(['conv-lost']);
    expect(emulator.callsByKind).toEqual({ composite_read: 1, composite_write: 1 });
    expect(emulator.faults.injected.lostAnswer).toBe(1);
  });

  it('draws random faults from a seed, so a run repeats', async () => {
    const draws = () => {
      emulator.faults.set({ rates: { unavailable: 0.3 }, seed: 42 });
      return Array.from({ length: 50 }, () => emulator.faults.beforeCall() !== null);
    };
    const first = draws();

    expect(draws()).toEqual(first);
    expect(first.filter(Boolean).length).toBeGreaterThan(5);
    expect(first.filter(Boolean).length).toBeLessThan(30);
  });
});
