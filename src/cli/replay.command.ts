import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config/config.ts';
import type { WrapUpEvent } from '../reconcile/events.contract.ts';
import { parseEventsBody, type EventFilter } from '../reconcile/event-parser.ts';
import type { IngestService } from '../reconcile/ingest.service.ts';
import { parseCommandLine, parsePositiveInt } from './cli-args.ts';
import { EXIT, processIo, runCommand, safeMessage, UsageError, type CliIo } from './cli-io.ts';
import { withIngest } from './command-bridge.ts';
import { createProgress } from './progress.ts';
import { formatPositions, parseReplayText, type ReplayDocument } from './replay-file.ts';

export const REPLAY_HELP = `Usage: continuity-bridge replay <file> [--dry-run] [--chunk-size <n>]

Posts recorded Genesys events into the bridge as if they had arrived on
POST /v1/events: each one is validated by the same parser, recorded (a delivery
already seen counts as a duplicate) and a reconcile job is queued for its
conversation. A running worker then updates the store. Replaying a file twice
is safe.

<file> (or - for stdin) holds, one of:
  - JSON lines: one EventBridge envelope, bare event body, or an array of them
    per line (blank lines are skipped);
  - a JSON array of envelopes or bodies (an EventBridge archive/replay export);
  - a JSON object { "events": [ ... ] } holding such an array;
  - a single envelope or body.
A line (or array item) that is not valid JSON or not a valid event is reported
with its line (item) number and skipped; the rest is replayed.

Options:
  --dry-run          Validate and count only; nothing is written
  --chunk-size <n>   Events ingested per Redis round trip (default 500)
  -h, --help         Show this help

Examples:
  continuity-bridge replay events-2026-11-25.jsonl
  aws s3 cp s3://bucket/archive-export.json - | continuity-bridge replay -

Output: progress on stderr, then on stdout
  accepted N, duplicates N, ignored N, rejected N (lines …)
ignored = well-formed events the bridge does not act on (other topics or channels).

Exit codes:
  0   all entries replayed
  1   some entries rejected, or a failure
  2   usage error
  78  configuration error
`;

interface Rejection {
  readonly position: number;
  readonly reason: string;
}

interface Totals {
  accepted: number;
  duplicates: number;
  ignored: number;
  valid: number;
}

async function readInput(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Validates every entry; events are handed to `ingest` in chunks of `chunkSize`. */
async function replayDocument(
  document: ReplayDocument,
  filter: EventFilter,
  io: CliIo,
  chunkSize: number,
  ingest: ((events: WrapUpEvent[]) => Promise<{ accepted: number; duplicates: number }>) | null,
): Promise<{ totals: Totals; rejected: Rejection[] }> {
  const totals: Totals = { accepted: 0, duplicates: 0, ignored: 0, valid: 0 };
  const rejected: Rejection[] = [];
  const progress = createProgress(io, {
    label: 'replay',
    total: document.items.length,
    unit: `${document.unit}s`,
  });
  let pending: WrapUpEvent[] = [];
  let handled = 0;
  let position = 0;
  const flush = async () => {
    if (pending.length === 0 || !ingest) return void (pending = []);
    try {
      const result = await ingest(pending);
      totals.accepted += result.accepted;
      totals.duplicates += result.duplicates;
    } catch (error) {
      progress.finish();
      throw new Error(
        `stopped at ${document.unit} ${position}: ${safeMessage(error)}. Entries before it were ingested; replaying the whole file again is safe (duplicates are recognised)`,
        { cause: error },
      );
    }
    pending = [];
  };

  for (const item of document.items) {
    position = item.position;
    if (item.error !== undefined) {
      rejected.push({ position, reason: item.error });
    } else {
      const parsed = parseEventsBody(item.value, filter);
      if (parsed.ok) {
        pending.push(...parsed.value.events);
        totals.valid += parsed.value.events.length;
        totals.ignored += parsed.value.ignored;
      } else {
        const issues = parsed.issues.slice(0, 3).map((i) => `${i.field}: ${i.message}`);
        const more = parsed.issues.length > 3 ? ` (+${parsed.issues.length - 3} more)` : '';
        rejected.push({ position, reason: `${issues.join('; ')}${more}` });
      }
    }
    if (pending.length >= chunkSize) await flush();
    handled++;
    progress.update(handled, `rejected ${rejected.length}`);
  }
  await flush();
  progress.finish(`rejected ${rejected.length}`);
  return { totals, rejected };
}

export function replaySummary(
  totals: Totals,
  rejected: readonly Rejection[],
  unit: 'line' | 'item',
  dryRun: boolean,
): string {
  const positions = rejected.map((r) => r.position);
  const where =
    positions.length === 0
      ? ''
      : ` (${unit}${positions.length > 1 ? 's' : ''} ${formatPositions(positions)})`;
  const head = dryRun
    ? `dry run: valid ${totals.valid}`
    : `accepted ${totals.accepted}, duplicates ${totals.duplicates}`;
  return `${head}, ignored ${totals.ignored}, rejected ${rejected.length}${where}`;
}

const MAX_REASONS = 50;

export async function replay(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('replay', io, async () => {
    const { values, positionals } = parseCommandLine(argv, {
      'dry-run': { type: 'boolean' },
      'chunk-size': { type: 'string' },
    });
    if (values.help) {
      io.stdout(REPLAY_HELP);
      return EXIT.ok;
    }
    const path = positionals[0];
    if (positionals.length !== 1 || path === undefined) {
      throw new UsageError('expected exactly one <file> (or - for stdin)');
    }
    const chunkSize = values['chunk-size']
      ? parsePositiveInt(values['chunk-size'], '--chunk-size')
      : 500;
    const config = loadConfig(env);
    const filter: EventFilter = { messageTypes: config.reconcile.messageTypes };
    const document = parseReplayText(await readInput(path));
    io.stderr(
      `replay: ${path === '-' ? 'stdin' : path}: ${document.form}, ${document.items.length} ${document.unit}s\n`,
    );

    const dryRun = values['dry-run'] === true;
    const run = (ingest: IngestService | null) =>
      replayDocument(
        document,
        filter,
        io,
        chunkSize,
        ingest ? (events) => ingest.ingest(events, 0) : null,
      );
    const { totals, rejected } = dryRun
      ? await run(null)
      : await withIngest(config, env, io, (ingest) => run(ingest));

    for (const r of rejected.slice(0, MAX_REASONS)) {
      io.stderr(`${document.unit} ${r.position}: rejected: ${safeMessage(r.reason)}\n`);
    }
    if (rejected.length > MAX_REASONS) {
      io.stderr(`… ${rejected.length - MAX_REASONS} more rejected entries not shown\n`);
    }
    io.stdout(`${replaySummary(totals, rejected, document.unit, dryRun)}\n`);
    return rejected.length > 0 ? EXIT.failure : EXIT.ok;
  });
}
