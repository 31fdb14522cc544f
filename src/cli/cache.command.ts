import { clearOwnershipCache } from '../adapters/redis/index.ts';
import { loadConfig } from '../config/config.ts';
import { parseCommandLine } from './cli-args.ts';
import { EXIT, processIo, runCommand, UsageError, type CliIo } from './cli-io.ts';
import { withCacheRedis } from './command-bridge.ts';

export const CACHE_HELP = `Usage: continuity-bridge cache clear

Drops every owner the bridge has cached in Redis (CACHE_TTL_SECONDS, a day by
default) and tells every running bridge process to drop its in-memory copies.
Nothing is lost: each customer's next lookup reads the store again. Run it
after switching stores (the embedded SQLite file to Salesforce, or one org to
another), after editing owners in the CRM by hand, or after restoring a backup:
otherwise lookups keep answering from the old store's owners until their entries
expire.

Options:
  -h, --help   Show this help

Examples:
  continuity-bridge cache clear

Exit codes:
  0   cleared (the count is printed)
  1   Redis could not be reached, or a failure
  2   usage error
  78  configuration error
`;

/** `continuity-bridge cache clear`. */
export async function cache(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('cache', io, async () => {
    const { values, positionals } = parseCommandLine(argv, {});
    if (values.help) {
      io.stdout(CACHE_HELP);
      return EXIT.ok;
    }
    const [action, ...rest] = positionals;
    if (action !== 'clear') throw new UsageError('expected "clear"');
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const config = loadConfig(env);
    const cleared = await withCacheRedis(config, env, io, (redis) =>
      clearOwnershipCache(redis, config.redis.prefix),
    );
    io.stdout(
      `cleared ${cleared} cached owner(s); every bridge process dropped its in-memory copies\n`,
    );
    return EXIT.ok;
  });
}
