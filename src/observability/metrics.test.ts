import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

describe('Grafana dashboard', () => {
  it('queries only metrics the bridge exports', async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
    ) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const exported = new Set(
      (await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name),
    );
    const used = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) => t.expr.match(/continuity_[a-z_]+/g) ?? []),
    );
    const base = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    expect(used.length).toBeGreaterThan(10);
    for (const name of used) expect(exported.has(base(name)), name).toBe(true);
  });
});
