import type { AgentAvailability } from '../../domain/routing-policy.ts';
import type { Logger } from '../../observability/logger.ts';
import type { AvailabilitySource } from '../../routing/availability.port.ts';
import type { GenesysClient } from './client.genesys.ts';
import { RoutingStatus, UserQueueEntityListing, parseBody } from './models.genesys.ts';
import { TtlCache } from './ttl-cache.genesys.ts';

export interface GenesysAvailabilityOptions {
  readonly client: GenesysClient;
  readonly logger: Logger;
  /** `AVAILABILITY_CACHE_SECONDS`: how long one agent's answer is reused; 0 = no cache. */
  readonly cacheSeconds: number;
  /** @defaultValue 10 000 agents */
  readonly maxEntries?: number;
  /** Safety bound on pages of joined queues per agent (100 per page). @defaultValue 20 */
  readonly maxQueuePages?: number;
  readonly now?: () => number;
}

/**
 * `RoutingStatus.status` → availability (reference §4.7). OFF_QUEUE is also
 * what Genesys answers for a user that does not exist. NOT_RESPONDING counts
 * as off queue: the agent let an alert time out and ACD skips them until they
 * go back on queue, so preferring them would only delay the customer. Any
 * other value is unknown (the agent is left out of the answer).
 */
const ON_QUEUE = new Set(['IDLE', 'INTERACTING', 'COMMUNICATING']);
const OFF_QUEUE = new Set(['OFF_QUEUE', 'NOT_RESPONDING']);

/**
 * AvailabilitySource over Genesys Cloud: GET /api/v2/users/{id}/routingstatus,
 * then, for agents on queue only (an off-queue agent is unfit whatever their
 * queues, so the call is saved), GET /api/v2/users/{id}/queues?joined=true.
 * Each agent's answer is cached and concurrent lookups share one request. It
 * never throws: an agent whose lookup fails or is still running when `signal`
 * aborts is simply absent from the map (unknown to the policy).
 */
export class GenesysAvailability implements AvailabilitySource {
  private readonly client: GenesysClient;
  private readonly logger: Logger;
  private readonly cache: TtlCache<AgentAvailability | null>;
  private readonly maxQueuePages: number;

  constructor(options: GenesysAvailabilityOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.maxQueuePages = options.maxQueuePages ?? 20;
    this.cache = new TtlCache({
      ttlMs: Math.max(0, options.cacheSeconds) * 1000,
      maxEntries: options.maxEntries ?? 10_000,
      ...(options.now && { now: options.now }),
    });
  }

  async getAvailability(
    agentIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, AgentAvailability>> {
    const known = new Map<string, AgentAvailability>();
    const pending: Promise<void>[] = [];
    for (const agentId of new Set(agentIds)) {
      if (agentId.trim() === '') continue;
      const cached = this.cache.get(agentId);
      if (cached !== undefined) {
        if (cached) known.set(agentId, cached);
        continue;
      }
      if (signal?.aborted) continue;
      pending.push(
        this.cache.getOrLoad(agentId, () => this.load(agentId)).then(
          (availability) => {
            if (availability) known.set(agentId, availability);
          },
          (error: unknown) => {
            this.logger.warn({ err: error, agentId }, 'genesys availability lookup failed; agent unknown');
          },
        ),
      );
    }
    if (pending.length > 0) await untilDoneOrAborted(Promise.all(pending), signal);
    // A copy: lookups still running after an abort keep filling the cache, not this answer.
    return new Map(known);
  }

  private async load(agentId: string): Promise<AgentAvailability | null> {
    const body = await this.client.request('getUserRoutingstatus', (apis) =>
      apis.users.getUserRoutingstatus(agentId),
    );
    if (body === null) return null;
    const status = parseBody(RoutingStatus, body, 'getUserRoutingstatus').status ?? '';
    if (OFF_QUEUE.has(status)) return { status: 'off_queue', queueIds: [] };
    if (!ON_QUEUE.has(status)) {
      this.logger.debug({ agentId, status }, 'genesys routing status not recognised; agent unknown');
      return null;
    }
    return { status: 'on_queue', queueIds: await this.joinedQueues(agentId) };
  }

  private async joinedQueues(agentId: string): Promise<string[]> {
    const pageSize = 100;
    const queueIds = new Set<string>();
    for (let pageNumber = 1; pageNumber <= this.maxQueuePages; pageNumber++) {
      const body = await this.client.request('getUserQueues', (apis) =>
        apis.users.getUserQueues(agentId, { joined: true, pageSize, pageNumber }),
      );
      if (body === null) break;
      const page = parseBody(UserQueueEntityListing, body, 'getUserQueues');
      for (const queue of page.entities) {
        if (queue.id && queue.joined !== false) queueIds.add(queue.id);
      }
      const pageCount = page.pageCount ?? Math.ceil((page.total ?? 0) / pageSize);
      if (page.entities.length < pageSize || pageNumber >= pageCount) break;
    }
    return [...queueIds];
  }
}

/** Resolves when `work` settles or `signal` aborts, whichever comes first. */
async function untilDoneOrAborted(work: Promise<unknown>, signal?: AbortSignal): Promise<void> {
  if (!signal) {
    await work;
    return;
  }
  if (signal.aborted) return;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
