import { loadConfig } from '../config/config.ts';
import { parseCommandLine } from './cli-args.ts';
import { EXIT, processIo, runCommand, UsageError, type CliIo } from './cli-io.ts';
import { withPrivacy } from './command-bridge.ts';

export const PRIVACY_HELP = `Usage: continuity-bridge privacy export <address>...
       continuity-bridge privacy delete <address>... [--dry-run]
       continuity-bridge privacy purge [--dry-run]

Customers' data rights (LGPD Art. 18, GDPR Art. 15 and 17; docs/privacy.md).
An address is a WhatsApp number in any spelling (+55 11 98765-4321,
5511987654321, whatsapp:+55…, the Brazilian form without the ninth digit…) or
a business-scoped user id (BR.1502576394655843); name both to cover a
customer known by both.

  export   Prints, as JSON, everything every store holds on the customer:
           the Redis event log, cache, locks and jobs, the SQLite or
           Salesforce rows.
  delete   Erases it everywhere, leaves a tombstone (late events and queued
           jobs for the customer are dropped), asks Redis to rewrite its
           persistence files. Prints per-store counts. Idempotent.
  purge    Runs the retention pass now (the worker runs it daily):
           history older than HISTORY_RETENTION_DAYS, failed jobs older than
           FAILED_JOB_RETENTION_DAYS.

Each run writes one audit line to stderr: type, the customer's keyed hash
(PRIVACY_HASH_SECRET), counts, caller "cli"; never the number.

Options:
  --dry-run   delete, purge: count what would go, change nothing
  -h, --help  Show this help

Examples:
  continuity-bridge privacy export "+55 11 98765-4321" > subject.json
  continuity-bridge privacy delete 5511987654321 --dry-run
  continuity-bridge privacy delete 5511987654321 BR.1502576394655843
  continuity-bridge privacy purge --dry-run

Exit codes:
  0   done
  1   a store failed (run it again: it is idempotent), or Redis is down
  2   usage error (unknown action, no address, an address that is no number)
  78  configuration error (PRIVACY_HASH_SECRET missing for export and delete)
`;

export async function privacy(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('privacy', io, async () => {
    const { values, positionals } = parseCommandLine(argv, { 'dry-run': { type: 'boolean' } });
    if (values.help) {
      io.stdout(PRIVACY_HELP);
      return EXIT.ok;
    }
    const [action, ...addresses] = positionals;
    const dryRun = values['dry-run'] === true;
    if (action !== 'export' && action !== 'delete' && action !== 'purge')
      throw new UsageError('name an action: export, delete or purge');
    if (action === 'purge' && addresses.length > 0) throw new UsageError('purge takes no address');
    if (action !== 'purge' && addresses.length === 0)
      throw new UsageError(`${action} needs the customer's address`);
    if (action === 'export' && dryRun) throw new UsageError('--dry-run is for delete and purge');
    const config = loadConfig(env);
    if (action !== 'purge' && !config.privacy.hashSecret) {
      io.stderr(
        'privacy export and delete need PRIVACY_HASH_SECRET (32+ characters, the same on every process): tombstones and audit lines are keyed with it\n',
      );
      return EXIT.config;
    }
    const report = await withPrivacy<unknown>(config, env, io, (service) => {
      if (action === 'export') return service.export(addresses, 'cli');
      if (action === 'delete') return service.erase(addresses, { dryRun }, 'cli');
      return service.purge({ dryRun }, 'cli');
    });
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT.ok;
  });
}
