import { loadConfig, type Config } from '../config/config.ts';
import { parseCommandLine } from './cli-args.ts';
import {
  EXIT,
  palette,
  processIo,
  runCommand,
  safeMessage,
  UsageError,
  type CliIo,
} from './cli-io.ts';
import { checkGenesys } from './doctor-genesys.check.ts';
import { checkRedis } from './doctor-redis.check.ts';
import { fail, formatCheck, ok, summary, warn, type CheckResult } from './doctor-report.ts';
import { checkSalesforce } from './doctor-salesforce.check.ts';
import { checkSqlite } from './doctor-sqlite.check.ts';

export const DOCTOR_HELP = `Usage: continuity-bridge doctor

Checks the configuration and every service it points at, and prints one line
per check (✔ passed, ⚠ warning, ✖ failed) with how to fix what is wrong:

  config      the environment parses (the same rules as serve)
  redis       reachable; Redis >= 6.2; maxmemory-policy noeviction; append-only
              file (warning); hash-tag prefix on a Cluster; queue state; clock
  store       SQLite: the file or its directory is writable
              Salesforce: token, API version, every object and field the bridge
              uses (describe: type, length, access), API budget, clock
  genesys     (when configured) login, one read per API the bridge uses
              (a 403 names the missing permission), rate-limit budget, clock

Clocks more than 2 s apart are a warning. Doctor only reads: it writes nothing
to Redis, the store or Genesys. Run it after every configuration change.

Options:
  -h, --help   Show this help

Examples:
  continuity-bridge doctor && continuity-bridge serve

Exit codes:
  0   every check passed (warnings allowed)
  1   a check failed (including a configuration that does not parse)
  2   usage error
`;

function configChecks(config: Config): CheckResult[] {
  const genesys = config.genesys.enabled ? `Genesys ${config.genesys.region}` : 'no Genesys';
  const results = [
    ok(
      'config',
      `parsed: store ${config.store.kind}, ${genesys}, Redis ${config.redis.description} prefix ${config.redis.prefix}`,
    ),
  ];
  if (config.http.apiTokens.length === 0) {
    results.push(
      warn(
        'config',
        'API_TOKENS is empty: serve makes up a new token on every start, so the Genesys Data Action stops working after a restart',
        'set API_TOKENS to one or more tokens of 16+ characters (comma-separated, for rotation)',
      ),
    );
  }
  return results;
}

export async function doctor(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('doctor', io, async () => {
    const { values, positionals } = parseCommandLine(argv, {});
    if (values.help) {
      io.stdout(DOCTOR_HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const colours = palette(io.stdoutIsTTY, env);
    const results: CheckResult[] = [];
    const report = (list: readonly CheckResult[]) => {
      for (const result of list) {
        results.push(result);
        io.stdout(`${formatCheck(result, colours)}\n`);
      }
    };

    let config: Config;
    try {
      config = loadConfig(env);
    } catch (error) {
      report([
        fail(
          'config',
          safeMessage(error),
          'correct the variable named above (README, "Configuration"); nothing else is checked until the configuration parses',
        ),
      ]);
      io.stdout(`${summary(results)}\n`);
      return EXIT.failure;
    }
    report(configChecks(config));
    report(await checkRedis(config));
    report(
      config.store.kind === 'sqlite'
        ? checkSqlite(config.store.path)
        : await checkSalesforce(config.store, {
            createsContacts: config.reconcile.unknownCustomer === 'create_contact',
          }),
    );
    report(
      config.genesys.enabled
        ? await checkGenesys(config.genesys)
        : [
            ok(
              'genesys',
              'not configured: owners come from events alone, availability is unknown and there is no sweep (set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to enable)',
            ),
          ],
    );
    const failed = results.some((r) => r.status === 'fail');
    io.stdout(`${summary(results)}\n`);
    return failed ? EXIT.failure : EXIT.ok;
  });
}
