import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import { startRetentionSchedule } from './retention.schedule.ts';

const HOUR = 3_600_000;

describe('the daily retention pass', () => {
  afterEach(() => vi.useRealTimers());

  it('runs once a day across workers: the first to claim the day runs it', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-06T00:30:00Z') });
    const claimed = new Set<string>();
    const claim = async (day: string) => !claimed.has(day) && Boolean(claimed.add(day));
    const runs: string[] = [];
    const start = (name: string) =>
      startRetentionSchedule({
        run: async () => void runs.push(`${name}@${new Date().toISOString().slice(0, 10)}`),
        claim,
        clock: { now: () => Date.now() },
        logger: createLogger('silent'),
      });
    const stops = [start('w1'), start('w2')];
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(runs).toEqual(['w1@2026-12-06', 'w1@2026-12-07']);
    for (const stop of stops) stop();
    await vi.advanceTimersByTimeAsync(48 * HOUR);
    expect(runs).toHaveLength(2);
  });
});
