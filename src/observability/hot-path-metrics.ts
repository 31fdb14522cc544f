import type { Metric, Registry } from 'prom-client';

/*
 * Prometheus metrics for the lookup, which Architect waits on. prom-client
 * validates and hashes the label values again on every observation, even on a
 * labelled child; that was a measurable share of a warm lookup (bench:lookup).
 * Here a labelled child is made once and an observation is a few additions.
 * Both register in the bridge's prom-client registry and are rendered by it,
 * in the same form as prom-client's own counters and histograms.
 */

interface MetricValue {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

interface Options<Label extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly Label[];
  readonly registers: readonly Registry[];
}

/** The fields prom-client's registry reads from a metric (`get`, `reset`, name, help, type). */
abstract class HotPathMetric<Label extends string, Child> {
  readonly name: string;
  readonly help: string;
  abstract readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum' as const;
  protected readonly labelNames: readonly Label[];
  protected readonly children = new Map<string, { labels: Record<Label, string>; child: Child }>();

  constructor(options: Options<Label>) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    // The registry only reads the members above; it takes any such object.
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** The child for these label values, in `labelNames` order: made once, then reused. */
  labels(...values: string[]): Child {
    const id = values.join('\u0000');
    let entry = this.children.get(id);
    if (!entry) {
      if (values.length !== this.labelNames.length) {
        throw new Error(`${this.name}: expected ${this.labelNames.length} label values`);
      }
      const labels = Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!]));
      entry = { labels: labels as Record<Label, string>, child: this.newChild() };
      this.children.set(id, entry);
    }
    return entry.child;
  }

  protected abstract newChild(): Child;
  /** What prom-client's registry renders: the metric's samples, read at scrape time. */
  abstract get(): Promise<ReturnType<HotPathMetric<Label, Child>['snapshot']>>;

  protected snapshot(values: MetricValue[]) {
    const { name, help, type, aggregator } = this;
    return { name, help, type, values, aggregator };
  }

  reset(): void {
    this.children.clear();
  }
}

export class HotPathCounter<Label extends string> extends HotPathMetric<
  Label,
  { inc(): void; value: number }
> {
  readonly type = 'counter' as const;

  protected newChild() {
    return {
      value: 0,
      inc() {
        this.value += 1;
      },
    };
  }

  async get() {
    const values = [...this.children.values()].map(({ labels, child }) => ({
      labels,
      value: child.value,
    }));
    return this.snapshot(values);
  }
}

interface HistogramChild {
  observe(value: number): void;
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

export class HotPathHistogram<Label extends string> extends HotPathMetric<Label, HistogramChild> {
  readonly type = 'histogram' as const;
  readonly #bounds: readonly number[];

  constructor(options: Options<Label> & { readonly buckets: readonly number[] }) {
    super(options);
    this.#bounds = [...options.buckets].sort((a, b) => a - b);
  }

  protected newChild(): HistogramChild {
    const bounds = this.#bounds;
    return {
      // One slot per bucket, and the last for values above every bound (+Inf only).
      counts: new Float64Array(bounds.length + 1),
      sum: 0,
      count: 0,
      observe(value: number) {
        if (!Number.isFinite(value)) return;
        let slot = 0;
        while (slot < bounds.length && value > bounds[slot]!) slot++;
        this.counts[slot]! += 1;
        this.sum += value;
        this.count += 1;
      },
    };
  }

  async get() {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const { labels, child } of this.children.values()) {
      let cumulative = 0;
      this.#bounds.forEach((bound, slot) => {
        cumulative += child.counts[slot]!;
        values.push({ labels: { le: bound, ...labels }, value: cumulative, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf', ...labels }, value: child.count, metricName: bucket });
      values.push({ labels, value: child.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: child.count, metricName: `${this.name}_count` });
    }
    return this.snapshot(values);
  }
}
