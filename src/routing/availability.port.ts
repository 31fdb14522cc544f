import type { AgentAvailability } from '../domain/routing-policy.ts';

/**
 * Whether agents can take a conversation now: routing status and queue
 * membership. Agents missing from the answer are treated as `unknown`.
 */
export interface AvailabilitySource {
  getAvailability(
    agentIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, AgentAvailability>>;
}

/** Used without Genesys credentials: nothing is known, the policy says so. */
export const unknownAvailability: AvailabilitySource = {
  getAvailability: async () => new Map(),
};
