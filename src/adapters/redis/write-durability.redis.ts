import { Cluster, type Redis } from 'ioredis';
import { BridgeError } from '../../errors/catalogue.ts';
import type { WriteDurability } from '../../reconcile/write-durability.port.ts';
import { clusterSlot } from './cluster-slot.redis.ts';
import type { RedisClient } from './connections.redis.ts';

export interface ReplicaWaitOptions {
  /** Replicas that must acknowledge; 0 disables the wait. */
  readonly replicas: number;
  /** Upper bound of one wait (the producer connection's command timeout is 2 s). */
  readonly timeoutMs: number;
  /** The key prefix: on a Cluster, its hash tag names the master that holds every write. */
  readonly prefix: string;
}

/**
 * `WAIT numreplicas timeout` on the connection that wrote the events and jobs
 * (WAIT counts that connection's own writes). On a Cluster WAIT has no key to
 * route by, so it is sent to the master owning the prefix's slot, over the
 * same node connection the writes used.
 */
export class RedisReplicaWait implements WriteDurability {
  readonly #redis: RedisClient;
  readonly #options: ReplicaWaitOptions;

  constructor(redis: RedisClient, options: ReplicaWaitOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  async awaitReplicas(): Promise<void> {
    const { replicas, timeoutMs } = this.#options;
    if (replicas === 0) return;
    const node = this.#redis instanceof Cluster ? this.#slotOwner(this.#redis) : this.#redis;
    const acknowledged = Number(await node.call('WAIT', replicas, timeoutMs));
    if (acknowledged < replicas) {
      throw new BridgeError(
        'CB_ERR_NOT_REPLICATED',
        `Redis confirmed the events on ${acknowledged} of ${replicas} required replica(s) within ${timeoutMs} ms; they are not acknowledged. Retry.`,
        { details: { acknowledged, required: replicas } },
      );
    }
  }

  #slotOwner(cluster: Cluster): Redis {
    const owner = cluster.slots[clusterSlot(this.#options.prefix)]?.[0];
    const node = cluster
      .nodes('master')
      .find((candidate) => `${candidate.options.host}:${candidate.options.port}` === owner);
    if (!node) throw new Error(`no master known for the slot of ${this.#options.prefix}`);
    return node;
  }
}
