import { compareVersions, type Ownership } from '../domain/ownership.ts';

interface Waiter {
  readonly version: Pick<Ownership, 'endedAt' | 'conversationId'>;
  readonly start: () => void;
}

/**
 * Turn-taking per customer inside one worker process, in front of the Redis
 * customer lock: jobs of one customer wait here (no Redis polling, no lock
 * timeout) and the newest version goes first. After an outage the backlog
 * holds several conversations of many customers; the newest one commits in the
 * first round, so the owner is right at once, and the older ones only add
 * their history rows (superseded) in the rounds after.
 */
export class CustomerTurns {
  readonly #customers = new Map<string, Waiter[]>();

  async run<T>(
    customerId: string,
    version: Pick<Ownership, 'endedAt' | 'conversationId'>,
    work: () => Promise<T>,
  ): Promise<T> {
    let waiting = this.#customers.get(customerId);
    if (waiting) {
      const queue = waiting;
      await new Promise<void>((start) => {
        queue.push({ version, start });
        // Newest first: compareVersions is negative when the first is older.
        queue.sort((a, b) => compareVersions(b.version, a.version));
      });
    } else {
      waiting = [];
      this.#customers.set(customerId, waiting);
    }
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next.start();
      else this.#customers.delete(customerId);
    }
  }

  /** Customers with a job running or waiting here (tests). */
  get size(): number {
    return this.#customers.size;
  }
}
