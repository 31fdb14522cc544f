/**
 * "Acknowledged means durable" (DESIGN §6): after ingest has written events and
 * jobs, this waits until they reached as many replicas as configured, so a
 * failover promotes a replica that holds everything answered 202.
 */
export interface WriteDurability {
  /** Resolves once the writes made so far are on enough replicas; rejects when they are not in time. */
  awaitReplicas(): Promise<void>;
}

/** No replicas required (one server, or an operator's choice): nothing to wait for. */
export const noReplicasRequired: WriteDurability = { awaitReplicas: () => Promise.resolve() };
