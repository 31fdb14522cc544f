import { describe, expect, it } from 'vitest';
import { countOutOfOrder, generateDemoDay } from './demo-day.ts';

const delivery = (addressFrom: string, eventTime: number) => ({
  detail: { eventBody: { addressFrom, eventTime } },
});

describe('the demo day', () => {
  it('counts a delivery as out of order only when a newer event of the same customer came first', () => {
    expect(
      countOutOfOrder([
        delivery('+1', 10),
        delivery('+2', 5),
        delivery('+1', 20),
        delivery('+1', 15), // after 20: out of order
        delivery('+2', 5), // a duplicate of the same time: not older
        delivery('+2', 1), // after 5: out of order
      ]),
    ).toBe(2);
  });

  it('reports the out-of-order count, not the number of deliveries', () => {
    const day = generateDemoDay({ now: Date.parse('2026-11-25T12:00:00Z'), customers: 60 });
    expect(day.stats.outOfOrder).toBe(countOutOfOrder(day.deliveries));
    expect(day.stats.outOfOrder).toBeGreaterThan(0);
    expect(day.stats.outOfOrder).toBeLessThan(day.stats.events);
  });
});
