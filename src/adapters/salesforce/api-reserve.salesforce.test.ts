import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../observability/logger.ts';
import type { CallRecorder } from '../../observability/metrics.ts';
import { ApiReserve, REFRESH_EVERY_MS } from './api-reserve.salesforce.ts';

function setup(percent = 10) {
  const lines: Array<{ msg: string; level: number }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as { msg: string; level: number });
      done();
    },
  });
  const states: boolean[] = [];
  const recorder: CallRecorder = {
    call: () => {},
    budget: () => {},
    reserve: (_system, active) => void states.push(active),
  };
  let now = 1_000_000;
  const reserve = new ApiReserve(percent, recorder, createLogger('info', sink), () => now);
  return { reserve, lines, states, advance: (ms: number) => (now += ms) };
}

describe('ApiReserve', () => {
  it('is kept below SF_API_RESERVE_PERCENT of the allocation left, with one log line and metric per change', async () => {
    const { reserve, lines, states } = setup(10);
    reserve.observe(50_000, 100_000);
    expect(reserve.belowReserve).toBe(false);
    reserve.observe(10_000, 100_000); // exactly 10 % left: not below
    expect(reserve.belowReserve).toBe(false);
    reserve.observe(9_999, 100_000);
    reserve.observe(5_000, 100_000);
    reserve.observe(100, 100_000);
    expect(reserve.belowReserve).toBe(true);
    expect(reserve.usage).toEqual({ used: 99_900, limit: 100_000 });
    reserve.observe(20_000, 100_000);
    expect(reserve.belowReserve).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(states).toEqual([true, false]);
    expect(lines.map((l) => l.msg)).toEqual([
      expect.stringContaining('below the reserve'),
      expect.stringContaining('above the reserve again'),
    ]);
  });

  it('with a reserve of 0, is never kept', () => {
    const { reserve } = setup(0);
    reserve.observe(0, 100_000);
    expect(reserve.belowReserve).toBe(false);
  });

  it('below the reserve, reads the allocation again at most once a minute (nothing else would)', async () => {
    const { reserve, advance } = setup(10);
    let refreshes = 0;
    reserve.refreshWith(async () => {
      refreshes += 1;
      await Promise.resolve(); // a call over the network
      reserve.observe(60_000, 100_000); // the rolling day freed calls up
    });
    reserve.observe(1_000, 100_000);
    expect(reserve.belowReserve).toBe(true);
    advance(REFRESH_EVERY_MS - 1);
    expect(reserve.belowReserve).toBe(true);
    expect(refreshes).toBe(0);
    advance(1);
    expect(reserve.belowReserve).toBe(true); // the refresh answers in the background
    expect(reserve.belowReserve).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(refreshes).toBe(1);
    expect(reserve.belowReserve).toBe(false);
  });
});
