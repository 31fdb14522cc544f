import { createLogger } from '../../src/observability/logger.ts';
import type { CommitResult, OwnershipChange } from '../../src/ports/ownership-store.port.ts';
import { noNames } from '../../src/reconcile/conversation-source.port.ts';
import type { ReconcileDeps } from '../../src/reconcile/reconcile.processor.ts';
import { aCustomer } from '../factories/ownership.factory.ts';
import { MemoryCache } from './fakes.ts';
import { MemoryEventLog } from './memory-event-log.ts';

/**
 * The reconcile processor's dependencies in memory, for processor tests: an
 * event log, a committer that records every change and applies it, a cache,
 * and a list of the untrusted times reported. `now` is the worker's clock.
 */
export function reconcileHarness(
  now: number,
  overrides: Partial<ReconcileDeps> & { log?: MemoryEventLog } = {},
) {
  const { log: given, ...rest } = overrides;
  const log = given ?? new MemoryEventLog();
  const commits: OwnershipChange[] = [];
  const untrusted: string[] = [];
  const cache = new MemoryCache();
  const deps: ReconcileDeps = {
    events: log,
    conversations: null,
    names: noNames,
    lock: { withLock: (_id, work) => work() },
    committer: {
      commit: async (change): Promise<CommitResult> => {
        commits.push(change);
        const record = aCustomer({
          key: change.key,
          current: change.ownership,
          recent: [change.ownership],
        });
        return { status: 'applied', record };
      },
    },
    cache,
    ownerRule: 'last',
    logger: createLogger('silent'),
    clock: { now: () => now },
    maxEventSkewMs: 300_000,
    onUntrustedTime: (conversationId, source) => untrusted.push(`${conversationId}:${source}`),
    ...rest,
  };
  return { deps, log, commits, cache, untrusted };
}
