import { loadConfig } from '../config/config.ts';
import type { ConversationSource } from '../reconcile/conversation-source.port.ts';
import { formatDuration, parseCommandLine, parseDuration, parseInstant } from './cli-args.ts';
import {
  ConfigurationProblem,
  EXIT,
  processIo,
  runCommand,
  safeMessage,
  UsageError,
  type CliIo,
} from './cli-io.ts';
import { withConversations, withIngest } from './command-bridge.ts';
import { createProgress } from './progress.ts';

export const BACKFILL_HELP = `Usage: continuity-bridge backfill --since <duration> [--until <time>] [--slice <duration>] [--dry-run]

Asks Genesys analytics which WhatsApp conversations ended in a past window and
queues a reconcile job for each (source 'manual'), so ownerships missed while
events were not flowing (a new install, an outage) are filled in. The worker
reads each conversation from Genesys, so a conversation already reconciled is
not written twice. Needs Genesys credentials (GENESYS_CLIENT_ID,
GENESYS_CLIENT_SECRET, GENESYS_REGION) with analytics:conversationDetail:view.

Options:
  --since <duration>   How far back to look, e.g. 90m, 6h, 2d, 1w (required)
  --until <time>       End of the window, ISO time (default: now)
  --slice <duration>   Window slice per analytics query (default 1h)
  --dry-run            Count the conversations; queue nothing
  -h, --help           Show this help

Examples:
  continuity-bridge backfill --since 6h
  continuity-bridge backfill --since 2d --until 2026-11-25T08:00:00Z

Exit codes:
  0   done
  1   failure (Genesys or Redis)
  2   usage error
  78  configuration error (including missing Genesys credentials)
`;

export interface Slice {
  readonly start: number;
  readonly end: number;
}

/** `[start, end)` cut into consecutive slices of at most `sliceMs`. */
export function slicesOf(start: number, end: number, sliceMs: number): Slice[] {
  const slices: Slice[] = [];
  for (let at = start; at < end; at += sliceMs) {
    slices.push({ start: at, end: Math.min(at + sliceMs, end) });
  }
  return slices;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function backfill(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('backfill', io, async () => {
    const { values, positionals } = parseCommandLine(argv, {
      since: { type: 'string' },
      until: { type: 'string' },
      slice: { type: 'string' },
      'dry-run': { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(BACKFILL_HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.since) throw new UsageError('--since <duration> is required (e.g. --since 6h)');
    const sinceMs = parseDuration(values.since, '--since');
    const end = values.until ? parseInstant(values.until, '--until') : Date.now();
    const sliceMs = values.slice ? parseDuration(values.slice, '--slice') : 3_600_000;
    const start = end - sinceMs;

    const config = loadConfig(env);
    if (!config.genesys.enabled) {
      throw new ConfigurationProblem(
        'backfill needs Genesys credentials: set GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION (an OAuth client-credentials client with analytics:conversationDetail:view).',
      );
    }
    const dryRun = values['dry-run'] === true;
    const slices = slicesOf(start, end, sliceMs);
    io.stderr(
      `backfill: ${iso(start)} → ${iso(end)} (${formatDuration(sinceMs)}) in ${slices.length} slice(s) of ${formatDuration(sliceMs)}${dryRun ? ', dry run' : ''}\n`,
    );

    const run = async (
      enqueue: (ids: readonly string[]) => Promise<void>,
      conversations: ConversationSource | null,
    ) => {
      if (!conversations) throw new Error('Genesys adapters are not available');
      const seen = new Set<string>();
      const progress = createProgress(io, {
        label: 'backfill',
        total: slices.length,
        unit: 'slices',
      });
      let done = 0;
      for (const slice of slices) {
        let ids: string[];
        try {
          ids = await conversations.listEndedConversations(slice.start, slice.end);
          const fresh = ids.filter((id) => !seen.has(id));
          await enqueue(fresh);
          fresh.forEach((id) => seen.add(id));
        } catch (error) {
          progress.finish();
          io.stdout(
            `stopped at slice ${iso(slice.start)} → ${iso(slice.end)}: ${seen.size} conversation(s) found before it${dryRun ? '' : ' were queued'}\n`,
          );
          const remainingMinutes = Math.ceil((end - slice.start) / 60_000);
          throw new Error(
            `${safeMessage(error)}. Re-run with --since ${remainingMinutes}m --until ${iso(end)} to continue from this slice (queuing twice is harmless).`,
            { cause: error },
          );
        }
        done++;
        progress.update(done, `${seen.size} conversations`);
      }
      progress.finish(`${seen.size} conversations`);
      io.stdout(
        dryRun
          ? `dry run: ${seen.size} conversation(s) ended between ${iso(start)} and ${iso(end)}; nothing queued\n`
          : `queued ${seen.size} reconcile job(s) (source manual) for conversations that ended between ${iso(start)} and ${iso(end)}\n`,
      );
      return EXIT.ok;
    };
    if (dryRun)
      return withConversations(config, env, io, (conversations) =>
        run(async () => {}, conversations),
      );
    return withIngest(config, env, io, (ingest, conversations) =>
      run((ids) => ingest.enqueue(ids, 'manual'), conversations),
    );
  });
}
