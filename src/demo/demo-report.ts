import type { LookupResponse } from '../routing/lookup.contract.ts';
import type { DemoAgent } from './demo-day.ts';

export interface LookupSample {
  readonly address: string;
  readonly decision: LookupResponse;
}

const pad = (text: string | number, width: number) => String(text).padEnd(width);

/** Per-decision counts, the continuity hit rate and a few explained samples. */
export function printReport(options: {
  out: (line?: string) => void;
  samples: readonly LookupSample[];
  extras: readonly LookupSample[];
  agents: readonly DemoAgent[];
  wrongOwner: number;
}): void {
  const { out, samples, extras, agents } = options;
  const nameOf = (id: string) =>
    agents.find((a) => a.id === id)?.name ?? (id ? id.slice(0, 8) : '—');
  const counts = new Map<string, number>();
  for (const { decision } of samples) {
    const key = `${decision.action} / ${decision.reason}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  out(`Every customer writes again now. What Architect is told (${samples.length} lookups):`);
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1]))
    out(`  ${pad(key, 40)} ${count}`);

  const withContext = samples.filter(
    (s) => s.decision.found && s.decision.reason !== 'context_stale',
  );
  const toKnownAgent = withContext.filter((s) => s.decision.agentId !== '');
  const rate = withContext.length ? (100 * toKnownAgent.length) / withContext.length : 0;
  out();
  out(
    `Continuity hit rate: ${rate.toFixed(1)}% of returning customers inside their window go to an agent who knows them`,
  );
  out(
    `  (${toKnownAgent.length} of ${withContext.length}; the rest have every previous agent off shift and go to their last queue).`,
  );
  out(
    `Owner check: ${options.wrongOwner === 0 ? 'every customer is owned by their newest conversation, despite out-of-order and duplicate delivery' : `${options.wrongOwner} customers have the wrong owner`}.`,
  );
  out();
  out('Sample lookups:');
  const seen = new Set<string>();
  const picks = [...samples, ...extras].filter((s) => {
    const key = `${s.decision.action}/${s.decision.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (const { address, decision } of picks) {
    const who = decision.agentId
      ? ` → ${nameOf(decision.agentId)} (score ${decision.agentScore})`
      : '';
    const age = decision.found
      ? `, last contact ${Math.round(decision.ageMinutes / 60)} h ago`
      : '';
    out(
      `  ${pad(maskForDemo(address), 24)} ${pad(decision.action, 8)} ${pad(decision.reason, 26)}${who}${age}`,
    );
  }
}

function maskForDemo(address: string): string {
  return address.replace(/\d(?=\d{3})/g, (d, i: number) => (i < 14 ? d : '•'));
}
