import { loadConfig } from '../config/config.ts';
import { canRepairVersions } from '../ports/version-repair.port.ts';
import { parseCommandLine } from './cli-args.ts';
import { EXIT, processIo, runCommand, UsageError, type CliIo } from './cli-io.ts';
import { withStoreAndCache } from './command-bridge.ts';

export const REPAIR_VERSIONS_HELP = `Usage: continuity-bridge repair-versions [--apply] [--json]

Finds ownership versions stored in the future: later than now plus
MAX_EVENT_SKEW_MS. They were written from mis-dated events before the bridge
capped untrusted times, and they pin their owner (no genuine later wrap-up can
win). Without --apply this is a dry run: it only reports. With --apply each
such version is set to the time of the repair (the latest those events can
truly have happened): the owner stays, and the next wrap-up wins over it. The
cache entries of the customers concerned are dropped.

On Salesforce: Conversation_Ownership__c.Ended_At__c and the
Last_Interaction_At__c of Contacts and Cases, at most 200 of each per run (run
again until it finds none). On SQLite: every history row.

Options:
  --apply       Write the repair (default: dry run)
  --json        Print the report as JSON
  -h, --help    Show this help

Examples:
  continuity-bridge repair-versions
  continuity-bridge repair-versions --apply

Exit codes:
  0   nothing in the future, or the repair was written
  1   a dry run found versions in the future, or a failure
  2   usage error
  78  configuration error
`;

export async function repairVersions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('repair-versions', io, async () => {
    const { values, positionals } = parseCommandLine(argv, {
      apply: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(REPAIR_VERSIONS_HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError('repair-versions takes no arguments');
    const config = loadConfig(env);
    const apply = values.apply === true;
    const now = Date.now();
    const limit = now + config.reconcile.maxEventSkewMs;
    const report = await withStoreAndCache(config, env, io, async (store, cache) => {
      if (!canRepairVersions(store))
        throw new Error(`the ${store.kind} store cannot repair versions`);
      const found = await store.repairFutureVersions(limit, Math.floor(now / 1000) * 1000, apply);
      let dropped = 0;
      if (apply) for (const key of found.customers) if (await cache.delete(key)) dropped += 1;
      return { ...found, dropped };
    });
    const summary = {
      limit: new Date(limit).toISOString(),
      applied: apply,
      conversations: report.conversations,
      customers: report.customers.length,
      written: report.written,
      cacheEntriesDropped: report.dropped,
    };
    if (values.json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else if (report.conversations.length === 0 && report.written === 0) {
      io.stdout(`no version is later than ${summary.limit}\n`);
    } else {
      io.stdout(
        `${report.conversations.length} conversation(s) of ${summary.customers} customer(s) have a version later than ${summary.limit}\n`,
      );
      for (const id of report.conversations.slice(0, 50)) io.stdout(`  ${id}\n`);
      io.stdout(
        apply
          ? `capped ${report.written} record(s) at the time of the repair; dropped ${report.dropped} cache entries\n`
          : 'dry run: nothing changed; run again with --apply to cap them\n',
      );
    }
    return !apply && report.conversations.length > 0 ? EXIT.failure : EXIT.ok;
  });
}
