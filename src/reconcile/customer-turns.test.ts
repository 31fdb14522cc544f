import { describe, expect, it } from 'vitest';
import { CustomerTurns } from './customer-turns.ts';

const v = (endedAt: number, conversationId = `c${endedAt}`) => ({ endedAt, conversationId });

describe('CustomerTurns', () => {
  it("runs one customer's jobs one at a time, the newest version first among those waiting", async () => {
    const turns = new CustomerTurns();
    const order: number[] = [];
    let release!: () => void;
    const first = turns.run('ana', v(1), async () => {
      order.push(1);
      await new Promise<void>((resolve) => (release = resolve));
    });
    const waiting = [2, 5, 3].map((t) =>
      turns.run('ana', v(t), async () => {
        order.push(t);
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([1]);
    release();
    await Promise.all([first, ...waiting]);
    expect(order).toEqual([1, 5, 3, 2]);
    expect(turns.size).toBe(0);
  });

  it('lets other customers run meanwhile, and goes on after a failure', async () => {
    const turns = new CustomerTurns();
    const order: string[] = [];
    let release!: () => void;
    const ana = turns.run('ana', v(1), () => new Promise<void>((r) => (release = r)));
    await turns.run('bia', v(1), async () => void order.push('bia'));
    expect(order).toEqual(['bia']);
    const failing = turns.run('ana', v(3), async () => {
      throw new Error('boom');
    });
    const after = turns.run('ana', v(2), async () => void order.push('ana-2'));
    release();
    await ana;
    await expect(failing).rejects.toThrow('boom');
    await after;
    expect(order).toEqual(['bia', 'ana-2']);
  });
});
