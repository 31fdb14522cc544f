import type { RedisClient } from './connections.redis.ts';

export interface PersistenceRewriteOptions {
  /** An erasure asks for a rewrite at most this long after it. @defaultValue 60000 */
  readonly debounceMs: number;
  readonly onProblem?: (message: string) => void;
}

/**
 * After an erasure, Redis' persistence files still hold the erased values
 * (the AOF logs every command; an RDB snapshot is a copy of the dataset).
 * With AOF on (`CONFIG GET appendonly`), this asks for `BGREWRITEAOF`; with
 * RDB snapshots configured (`CONFIG GET save`), for `BGSAVE SCHEDULE`. The
 * request is debounced: erasures within `debounceMs` share one rewrite, which
 * starts at most `debounceMs` after the first of them. `flush` asks at once
 * (a CLI run that ends).
 */
export class PersistenceRewrite {
  readonly #redis: RedisClient;
  readonly #options: PersistenceRewriteOptions;
  #timer: NodeJS.Timeout | null = null;
  #pending: Promise<string[]> | null = null;

  constructor(redis: RedisClient, options: PersistenceRewriteOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  /** Asks for a rewrite within the debounce window. */
  schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => void this.flush(), this.#options.debounceMs);
    this.#timer.unref();
  }

  /** Asks now if a rewrite is pending; resolves with what was requested (`aof`, `rdb`). */
  async flush(): Promise<string[]> {
    if (!this.#timer) return (await this.#pending) ?? [];
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = this.#rewrite();
    return this.#pending;
  }

  async #rewrite(): Promise<string[]> {
    const requested: string[] = [];
    let appendonly: string | undefined;
    let save: string | undefined;
    try {
      appendonly = configValue(await this.#redis.config('GET', 'appendonly'));
      save = configValue(await this.#redis.config('GET', 'save'));
    } catch (error) {
      this.#options.onProblem?.(
        `CONFIG GET is refused (${(error as Error).message}): rewrite the AOF and take a new RDB snapshot yourself after erasures (docs/privacy.md)`,
      );
      return requested;
    }
    if (appendonly === 'yes') {
      await this.#redis.bgrewriteaof().then(
        () => requested.push('aof'),
        (error: Error) =>
          // Already rewriting: that rewrite started before this erasure ended,
          // so ask again once it is done.
          /in progress/i.test(error.message)
            ? this.schedule()
            : this.#options.onProblem?.(`BGREWRITEAOF failed: ${error.message}`),
      );
    }
    if (save !== undefined && save.trim() !== '') {
      await this.#redis.call('BGSAVE', 'SCHEDULE').then(
        () => requested.push('rdb'),
        (error: Error) => this.#options.onProblem?.(`BGSAVE failed: ${error.message}`),
      );
    }
    return requested;
  }
}

/** `CONFIG GET name` answers `[name, value]`. */
function configValue(reply: unknown): string | undefined {
  return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
}
