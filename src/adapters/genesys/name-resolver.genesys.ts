import type { Logger } from '../../observability/logger.ts';
import type { NameResolver } from '../../reconcile/conversation-source.port.ts';
import type { GenesysApis, GenesysClient } from './client.genesys.ts';
import { NamedEntity, parseBody } from './models.genesys.ts';
import { TtlCache } from './ttl-cache.genesys.ts';

export interface GenesysNameResolverOptions {
  readonly client: GenesysClient;
  readonly logger: Logger;
  /** @defaultValue 1 hour */
  readonly ttlMs?: number;
  /** @defaultValue 5 000 names (users, queues and wrap-up codes together) */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

type Kind = 'user' | 'queue' | 'wrapupcode';

const OPERATIONS: Record<Kind, { operation: string; get: (apis: GenesysApis, id: string) => Promise<unknown> }> = {
  user: { operation: 'getUser', get: (apis, id) => apis.users.getUser(id) },
  queue: { operation: 'getRoutingQueue', get: (apis, id) => apis.routing.getRoutingQueue(id) },
  wrapupcode: {
    operation: 'getRoutingWrapupcode',
    get: (apis, id) => apis.routing.getRoutingWrapupcode(id),
  },
};

/**
 * Display names for user, queue and wrap-up code ids (GET /api/v2/users/{id},
 * /api/v2/routing/queues/{id}, /api/v2/routing/wrapupcodes/{id}), cached in
 * memory. Names are cosmetic (the id is always recorded), so a failure answers
 * '' and logs a warning instead of failing the reconcile; failures are not
 * cached, a 404 is (as '').
 */
export class GenesysNameResolver implements NameResolver {
  private readonly client: GenesysClient;
  private readonly logger: Logger;
  private readonly cache: TtlCache<string>;

  constructor(options: GenesysNameResolverOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.cache = new TtlCache<string>({
      ttlMs: options.ttlMs ?? 3_600_000,
      maxEntries: options.maxEntries ?? 5_000,
      ...(options.now && { now: options.now }),
    });
  }

  agentName(userId: string): Promise<string> {
    return this.resolve('user', userId);
  }

  queueName(queueId: string): Promise<string> {
    return this.resolve('queue', queueId);
  }

  wrapupName(wrapupCodeId: string): Promise<string> {
    return this.resolve('wrapupcode', wrapupCodeId);
  }

  private async resolve(kind: Kind, id: string): Promise<string> {
    if (id.trim() === '') return '';
    const { operation, get } = OPERATIONS[kind];
    try {
      return await this.cache.getOrLoad(`${kind}:${id}`, async () => {
        const body = await this.client.request(operation, (apis) => get(apis, id));
        if (body === null) return '';
        return parseBody(NamedEntity, body, operation).name ?? '';
      });
    } catch (error) {
      this.logger.warn({ err: error, kind, id }, 'genesys name lookup failed; recording the id only');
      return '';
    }
  }
}
