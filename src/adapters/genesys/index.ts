import type { Config } from '../../config/config.ts';
import type { Logger } from '../../observability/logger.ts';
import type { CallRecorder } from '../../observability/metrics.ts';
import { unknownAvailability, type AvailabilitySource } from '../../routing/availability.port.ts';
import type { ConversationSource, NameResolver } from '../../reconcile/conversation-source.port.ts';
import { GenesysAvailability } from './availability.genesys.ts';
import { GenesysConversationSource } from './conversation-source.genesys.ts';
import { GenesysClient } from './client.genesys.ts';
import { GenesysNameResolver } from './name-resolver.genesys.ts';

export interface GenesysAdapters {
  readonly conversations: ConversationSource;
  readonly names: NameResolver;
  readonly availability: AvailabilitySource;
  /** The shared SDK wrapper (one token for all three), e.g. for `doctor`. */
  readonly client: GenesysClient;
}

export interface GenesysAdaptersDeps {
  /** `config.genesys` when credentials are set. */
  readonly config: Extract<Config['genesys'], { enabled: true }>;
  readonly recorder: CallRecorder;
  readonly logger: Logger;
  /** `config.lookup.availabilityCacheSeconds` */
  readonly availabilityCacheSeconds: number;
  /** `config.reconcile.contextAttributes` */
  readonly contextAttributes?: readonly string[];
}

/**
 * The Genesys adapters over one GenesysClient. Call it once per process in the
 * composition root: the client holds the token and counts the per-token rate
 * limit. With `GENESYS_AVAILABILITY=false` availability is `unknownAvailability`
 * (the policy says `availability_unknown`) while conversations and names still
 * come from Genesys.
 */
export function createGenesysAdapters(deps: GenesysAdaptersDeps): GenesysAdapters {
  const { config, recorder, logger } = deps;
  const log = logger.child({ adapter: 'genesys' });
  const client = new GenesysClient({
    region: config.region,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    recorder,
    logger: log,
  });
  return {
    client,
    conversations: new GenesysConversationSource({
      client,
      logger: log,
      contextAttributes: deps.contextAttributes ?? [],
    }),
    names: new GenesysNameResolver({ client, logger: log }),
    availability: config.availability
      ? new GenesysAvailability({ client, logger: log, cacheSeconds: deps.availabilityCacheSeconds })
      : unknownAvailability,
  };
}
