import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HotPathCounter, HotPathHistogram } from './hot-path-metrics.ts';

/** The exposition's samples as `name{sorted labels} value`, comments left out. */
const samples = (text: string): string[] =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([^{\s]+)(?:\{(.*)\})? (.+)$/.exec(line)!;
      const labels = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
      return `${match[1]}{${labels}} ${match[3]}`;
    })
    .sort();

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];

describe('hot-path metrics', () => {
  it('expose the same samples as prom-client would for the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const options = { name: 'x_seconds', help: 'h', labelNames: ['source'] as const };
    const hot = new HotPathHistogram({ ...options, buckets: BUCKETS, registers: [ours] });
    const reference = new Histogram({ ...options, buckets: BUCKETS, registers: [theirs] });
    const counter = { name: 'x_total', help: 'h', labelNames: ['action', 'reason'] as const };
    const hotCounter = new HotPathCounter({ ...counter, registers: [ours] });
    const referenceCounter = new Counter({ ...counter, registers: [theirs] });

    // On a bound, between bounds, above every bound, and zero.
    const observed = [0, 0.001, 0.0011, 0.003, 0.02, 0.7, 5, 9.5, 0.0004];
    for (const [i, seconds] of observed.entries()) {
      const source = i % 3 === 0 ? 'store' : 'cache';
      hot.labels(source).observe(seconds);
      reference.labels(source).observe(seconds);
      const [action, reason] = i % 2 ? ['agent', 'owner_available'] : ['fallback', 'no_history'];
      hotCounter.labels(action!, reason!).inc();
      referenceCounter.labels(action!, reason!).inc();
    }

    const exposed = samples(await ours.metrics());
    expect(exposed).toEqual(samples(await theirs.metrics()));
    expect(exposed).toContain('x_seconds_bucket{le="0.001",source="cache"} 2');
    expect(exposed).toContain('x_seconds_bucket{le="+Inf",source="cache"} 6');
    expect(exposed).toContain('x_total{action="agent",reason="owner_available"} 4');
    // HELP and TYPE lines too: Prometheus reads the type from them.
    expect(await ours.metrics()).toContain('# TYPE x_seconds histogram');
    expect(await ours.metrics()).toContain('# TYPE x_total counter');
  });

  it('refuses label values that do not match the label names', () => {
    const hot = new HotPathCounter({
      name: 'y_total',
      help: 'h',
      labelNames: ['action', 'reason'] as const,
      registers: [new Registry()],
    });
    expect(() => hot.labels('agent')).toThrow(/expected 2 label values/);
  });
});
