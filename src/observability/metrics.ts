import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { HotPathCounter, HotPathHistogram } from './hot-path-metrics.ts';

/**
 * Prometheus metrics. One registry per bridge instance (tests build many apps in
 * one process), created by `createMetrics()` in the composition root and passed
 * to the adapters that record into it.
 */
export function createMetrics() {
  const registry = new Registry();
  let queueCounts: (() => Promise<Record<string, number> | null>) | null = null;
  collectDefaultMetrics({ register: registry, prefix: 'continuity_' });
  const metrics = {
    registry,
    // The two the lookup records on every request: see hot-path-metrics.ts.
    lookupDuration: new HotPathHistogram({
      name: 'continuity_lookup_duration_seconds',
      help: 'Routing lookup latency, from request parsed to decision',
      labelNames: ['source'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    decisions: new HotPathCounter({
      name: 'continuity_decisions_total',
      help: 'Routing decisions by action and reason (continuity hit rate = action agent / all)',
      labelNames: ['action', 'reason'] as const,
      registers: [registry],
    }),
    cacheLookups: new Counter({
      name: 'continuity_cache_lookups_total',
      help: 'Ownership cache lookups by result (hit, negative_hit, miss, error)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    externalCalls: new Counter({
      name: 'continuity_external_calls_total',
      help: 'Calls to Salesforce and Genesys by system, operation and outcome',
      labelNames: ['system', 'operation', 'outcome'] as const,
      registers: [registry],
    }),
    apiBudgetRemaining: new Gauge({
      name: 'continuity_api_budget_remaining',
      help: 'Remaining API budget as last reported (Sforce-Limit-Info, inin-ratelimit-*)',
      labelNames: ['system'] as const,
      registers: [registry],
    }),
    apiBudgetLimit: new Gauge({
      name: 'continuity_api_budget_limit',
      help: 'API budget limit as last reported (Sforce-Limit-Info, inin-ratelimit-allowed)',
      labelNames: ['system'] as const,
      registers: [registry],
    }),
    apiReserveActive: new Gauge({
      name: 'continuity_api_reserve_active',
      help: 'Whether the bridge is keeping the API reserve (1: below SF_API_RESERVE_PERCENT of the daily allocation left, or Genesys asked to wait)',
      labelNames: ['system'] as const,
      registers: [registry],
    }),
    storeOutage: new Gauge({
      name: 'continuity_store_outage',
      help: 'Whether the worker holds the reconcile queue because the CRM does not answer (1) or not (0)',
      registers: [registry],
    }),
    eventsReceived: new Counter({
      name: 'continuity_events_total',
      help: 'Events received by outcome (accepted, duplicate, ignored; rejected: a 400 request; refused: one event refused in a 202, with its reason)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    untrustedTimes: new Counter({
      name: 'continuity_untrusted_times_total',
      help: 'Times later than their receipt plus MAX_EVENT_SKEW_MS, capped at the receipt, by source (event, genesys)',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    jobOutcomes: new Counter({
      name: 'continuity_reconcile_jobs_total',
      help: 'Reconcile job outcomes (applied, superseded, skipped, retried, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    erasedDropped: new Counter({
      name: 'continuity_privacy_dropped_total',
      help: 'Events (stage ingest) and reconcile jobs (stage reconcile) dropped because their customer was erased after them',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    privacyRequests: new Counter({
      name: 'continuity_privacy_requests_total',
      help: 'Privacy requests (export, delete, purge) by type and outcome (ok, dry_run, error)',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    reconcileLatency: new Histogram({
      name: 'continuity_reconcile_latency_seconds',
      help: 'Time from event accepted to ownership recorded',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'continuity_queue_jobs',
      help: 'Jobs in the reconcile queue by state',
      labelNames: ['state'] as const,
      registers: [registry],
      // Read at scrape time, so the figure is never stale.
      async collect() {
        const counts = await queueCounts?.().catch(() => null);
        if (counts) for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      },
    }),
    /** Where queue depth comes from (the composition root wires the BullMQ queue). */
    setQueueCounts(source: () => Promise<Record<string, number> | null>) {
      queueCounts = source;
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** What adapters need to report an outbound call; keeps them free of prom-client. */
export interface CallRecorder {
  call(system: 'salesforce' | 'genesys', operation: string, outcome: 'ok' | 'error'): void;
  budget(system: 'salesforce' | 'genesys', remaining: number, limit: number): void;
  /** The bridge started (true) or stopped (false) keeping the system's API reserve. */
  reserve?(system: 'salesforce' | 'genesys', active: boolean): void;
}

export function callRecorder(metrics: Metrics): CallRecorder {
  return {
    call: (system, operation, outcome) => metrics.externalCalls.inc({ system, operation, outcome }),
    budget: (system, remaining, limit) => {
      metrics.apiBudgetRemaining.set({ system }, remaining);
      metrics.apiBudgetLimit.set({ system }, limit);
    },
    reserve: (system, active) => metrics.apiReserveActive.set({ system }, active ? 1 : 0),
  };
}

export const noopRecorder: CallRecorder = { call: () => {}, budget: () => {} };
