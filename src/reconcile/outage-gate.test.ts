import { describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import { OutageGate } from './outage-gate.ts';

function gate(probeResults: Array<'ok' | 'down'>, exhausted: () => boolean = () => false) {
  const holds: number[] = [];
  const sleeps: number[] = [];
  const changes: boolean[] = [];
  let probes = 0;
  const outage = new OutageGate({
    probe: async () => {
      probes += 1;
      if ((probeResults.shift() ?? 'ok') === 'down') throw new Error('503');
    },
    exhausted,
    hold: async (ms) => void holds.push(ms),
    onChange: (down) => void changes.push(down),
    logger: createLogger('silent'),
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { outage, holds, sleeps, changes, probes: () => probes };
}

describe('OutageGate', () => {
  it('holds the whole queue at the first failure and probes, quickly then every 2 s, until the store answers', async () => {
    const { outage, holds, sleeps, changes, probes } = gate(['down', 'down', 'down', 'ok']);
    await outage.tripped('ERROR_HTTP_503');
    expect(outage.down).toBe(true);
    await outage.tripped('ERROR_HTTP_503'); // a second job meets it: no second prober
    await outage.settled;
    expect(outage.down).toBe(false);
    expect(probes()).toBe(4);
    expect(sleeps).toEqual([250, 1000, 2000, 2000]);
    // Every wait is covered by a hold a little longer than it, so no job slips through.
    expect(holds.every((ms) => ms > 250)).toBe(true);
    expect(Math.max(...holds)).toBeLessThanOrEqual(2500);
    expect(changes).toEqual([true, false]);
  });

  it('keeps holding while the org answers but has no API calls left, probing once a minute', async () => {
    // Asked before each wait and after each probe: empty for the first two probes.
    let asked = 0;
    const { outage, sleeps, probes } = gate(['ok', 'ok', 'ok'], () => (asked += 1) <= 4);
    await outage.tripped('REQUEST_LIMIT_EXCEEDED');
    await outage.settled;
    expect(sleeps.slice(0, 2)).toEqual([60_000, 60_000]);
    expect(probes()).toBe(3);
    expect(outage.down).toBe(false);
  });

  it('stops probing when closed', async () => {
    const { outage, probes } = gate(['down', 'down', 'down']);
    await outage.tripped('ECONNREFUSED');
    outage.close();
    await outage.settled;
    expect(probes()).toBeLessThanOrEqual(1);
  });
});
