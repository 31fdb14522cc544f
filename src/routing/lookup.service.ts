import { normalizeAddress, customerKeyId, type CustomerKey } from '../domain/customer-key.ts';
import type { CustomerRecord } from '../domain/ownership.ts';
import {
  decideRoute,
  fallbackDecision,
  policyForQueue,
  type AgentAvailability,
  type PolicyConfig,
  type RoutingDecision,
} from '../domain/routing-policy.ts';
import { fitLookupAnswer } from '../domain/next-agent-context.ts';
import type { LookupRequest } from './lookup.contract.ts';
import { unknownAvailability, type AvailabilitySource } from './availability.port.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { CustomerCache } from '../ports/customer-cache.port.ts';
import type { OwnershipStore } from '../ports/ownership-store.port.ts';

export interface LookupServiceDeps {
  readonly store: OwnershipStore;
  readonly cache: CustomerCache;
  readonly availability: AvailabilitySource;
  readonly clock: Clock;
  readonly policy: PolicyConfig;
  /** The answer is always ready within this many ms (DESIGN §2.4). */
  readonly deadlineMs: number;
  readonly onStoreError?: (error: unknown, key: CustomerKey) => void;
}

/** Where the customer's record came from, for metrics and logs. */
export type LookupSource = 'cache' | 'store' | 'invalid' | 'crm_unavailable' | 'crm_api_reserve';

export interface LookupOutcome {
  /** The decision as Architect receives it: fitted to the answer's size budget. */
  readonly decision: RoutingDecision;
  /** That decision serialized, as sent (the budget is measured on it). */
  readonly json: string;
  readonly source: LookupSource;
}

const outcome = (decision: RoutingDecision, source: LookupSource): LookupOutcome => {
  const { answer, json } = fitLookupAnswer(decision);
  return { decision: answer, json, source };
};

const TIMED_OUT = Symbol('timed out');
const NO_AVAILABILITY: ReadonlyMap<string, AgentAvailability> = new Map();

/** Resolves to TIMED_OUT after `ms`, and aborts `controller` (when given) then. */
function deadline(
  ms: number,
  controller?: AbortController,
): { promise: Promise<typeof TIMED_OUT>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      controller?.abort();
      resolve(TIMED_OUT);
    }, ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * The routing use case: address → cache → store → availability → policy, always
 * within the deadline. A slow or failing store yields the fallback decision with
 * reason `crm_unavailable`; slow availability yields `availability_unknown`.
 * Neither ever turns into an error for Architect. Below the CRM's API reserve
 * (`store.budget`), a miss makes no store call: the fallback decision with
 * reason `crm_api_reserve` (the caches still answer whom they know).
 */
export class LookupService {
  readonly #deps: LookupServiceDeps;
  /** Concurrent cold lookups for one customer share one store read. */
  readonly #inFlight = new Map<string, Promise<CustomerRecord | null>>();

  constructor(deps: LookupServiceDeps) {
    this.#deps = deps;
  }

  async lookup(request: LookupRequest): Promise<LookupOutcome> {
    const { policy, clock } = this.#deps;
    const started = clock.now();
    const address = normalizeAddress(request.address);
    if (!address.ok) {
      return outcome(fallbackDecision(policy, request.queueId, 'invalid_address'), 'invalid');
    }
    const key = address.key;

    // A record this process holds answers without waiting on anything.
    const cached = this.#deps.cache.peek?.(key) ?? (await this.#deps.cache.get(key));
    let customer: CustomerRecord | null;
    let source: LookupSource = 'cache';
    if (cached.hit) {
      customer = cached.record;
    } else if (this.#deps.store.budget?.belowReserve) {
      return outcome(
        fallbackDecision(policy, request.queueId, 'crm_api_reserve'),
        'crm_api_reserve',
      );
    } else {
      const remaining = this.#deps.deadlineMs - (clock.now() - started);
      const read = await this.#readStore(key, remaining);
      if (read === TIMED_OUT || read instanceof Error) {
        return outcome(
          fallbackDecision(policy, request.queueId, 'crm_unavailable'),
          'crm_unavailable',
        );
      }
      customer = read;
      source = 'store';
    }

    // Without Genesys there is nothing to ask: no timer, no call, no wait.
    const availability =
      this.#deps.availability === unknownAvailability
        ? NO_AVAILABILITY
        : await this.#availability(customer, started);
    const decision = decideRoute(
      { customer, requestedQueueId: request.queueId, now: clock.now(), availability },
      policy,
    );
    return outcome(decision, source);
  }

  async #readStore(
    key: CustomerKey,
    budgetMs: number,
  ): Promise<CustomerRecord | null | Error | typeof TIMED_OUT> {
    const id = customerKeyId(key);
    let read = this.#inFlight.get(id);
    if (!read) {
      // The shared read belongs to no caller: it is not aborted when the first
      // caller's deadline passes, and what it finds is cached for the next one.
      // `fill` never overwrites a newer write-through that landed meanwhile, and
      // is not awaited: a slow Redis must not turn a found customer into
      // `crm_unavailable`.
      read = this.#deps.store.findCustomer(key).then((record) => {
        this.#deps.cache.fill(key, record).catch(() => {});
        return record;
      });
      read.finally(() => this.#inFlight.delete(id)).catch(() => {});
      this.#inFlight.set(id, read);
    }
    const timer = deadline(Math.max(0, budgetMs));
    try {
      return await Promise.race([read, timer.promise]);
    } catch (error) {
      this.#deps.onStoreError?.(error, key);
      return error instanceof Error ? error : new Error(String(error));
    } finally {
      timer.clear();
    }
  }

  async #availability(
    customer: CustomerRecord | null,
    started: number,
  ): Promise<ReadonlyMap<string, AgentAvailability>> {
    // Only agents the policy may still prefer are worth a Genesys call.
    const now = this.#deps.clock.now();
    const candidates = customer?.current ? [customer.current, ...customer.recent] : [];
    const agentIds = [
      ...new Set(
        candidates
          .filter((o) => o.agentId !== '')
          .filter(
            (o) => now - o.endedAt <= policyForQueue(this.#deps.policy, o.queueId).affinityWindowMs,
          )
          .map((o) => o.agentId),
      ),
    ];
    if (agentIds.length === 0) return NO_AVAILABILITY;
    const remaining = this.#deps.deadlineMs - (now - started);
    const controller = new AbortController();
    const timer = deadline(Math.max(0, remaining), controller);
    try {
      const result = await Promise.race([
        this.#deps.availability.getAvailability(agentIds, controller.signal),
        timer.promise,
      ]);
      return result === TIMED_OUT ? new Map() : result;
    } catch {
      return new Map();
    } finally {
      timer.clear();
    }
  }
}
