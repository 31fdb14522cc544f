import type { Job } from 'bullmq';
import { loadConfig } from '../config/config.ts';
import type { BullReconcileQueue } from '../reconcile/reconcile.queue.ts';
import { maskPhoneNumbers } from '../observability/logger.ts';
import { ERRORS } from '../errors/catalogue.ts';
import { parseCommandLine, parsePositiveInt } from './cli-args.ts';
import {
  EXIT,
  palette,
  processIo,
  runCommand,
  safeMessage,
  UsageError,
  type CliIo,
} from './cli-io.ts';
import { withQueue } from './command-bridge.ts';

export const FAILED_HELP = `Usage: continuity-bridge failed list [--limit <n>] [--json]
       continuity-bridge failed retry <job-id | conversation-id> [--force]
       continuity-bridge failed retry --all [--force]

Reconcile jobs that failed for good stay in the queue with their reason:
permanent errors (CB_ERR_NO_CUSTOMER_ADDRESS, CB_ERR_CRM_REJECTED, …) at once,
transient ones (CRM or Genesys down, limits) after RECONCILE_ATTEMPTS attempts.
Jobs carry ids only, so no phone number is ever shown here.

  list         Newest first: job id, conversation id, source, attempts, when
               it failed and why (see docs/errors.md for the codes)
  retry <id>   Moves one failed job back to the queue with its attempts reset;
               <id> is the job id from "list" or the conversation id
  retry --all  The same for every failed job
  A job that failed with a permanent error (bad data, a CRM rejection) would
  fail again at once: retry skips it, and says so, unless --force is given
  (once the cause is fixed, e.g. the Contact's field or the permission set).

Options:
  --limit <n>  Jobs to list (default 50)
  --json       list as JSON: { "total": n, "jobs": [ … ] }
  --all        retry every failed job
  --force      retry permanent failures too
  -h, --help   Show this help

Examples:
  continuity-bridge failed list
  continuity-bridge failed list --limit 500 --json | jq '.jobs[].failedReason'
  continuity-bridge failed retry 1842
  continuity-bridge failed retry --all
  continuity-bridge failed retry --all --force

Exit codes:
  0   ok
  1   unknown job or failure
  2   usage error
  78  configuration error
`;

export interface FailedJobView {
  readonly id: string;
  /** The catalogue code (CB_ERR_…) of the last failure, when it had one. */
  readonly code: string;
  readonly name: string;
  readonly conversationId: string;
  readonly source: string;
  readonly attemptsMade: number;
  readonly attempts: number;
  readonly failedReason: string;
  readonly failedAt: string;
  readonly enqueuedAt: string;
}

const isoOrEmpty = (ms: unknown) =>
  typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : '';

const CODE = /^(CB_ERR_[A-Z_]+)\b/;

/**
 * The error code of the last failure: from the reason (permanent failures carry
 * it there) or from the first line of the last stack trace, `<name>: <message>`,
 * where a BridgeError's name is its code (transient failures).
 */
export function errorCodeOf(failedReason: string, stacktrace: readonly string[] | null): string {
  const fromReason = CODE.exec(failedReason)?.[1];
  if (fromReason) return fromReason;
  return CODE.exec(stacktrace?.at(-1) ?? '')?.[1] ?? '';
}

/** What `list` shows of a job: ids, counts, times and the reason (masked, to be sure). */
export function viewOf(job: Job): FailedJobView {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const code = errorCodeOf(job.failedReason ?? '', job.stacktrace);
  const reason = maskPhoneNumbers(job.failedReason ?? '');
  return {
    id: job.id ?? '',
    code,
    name: job.name,
    conversationId: typeof data.conversationId === 'string' ? data.conversationId : '',
    source: typeof data.source === 'string' ? data.source : '',
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    failedReason: code && !reason.startsWith(code) ? `${code}: ${reason}` : reason,
    failedAt: isoOrEmpty(job.finishedOn),
    enqueuedAt: isoOrEmpty(data.enqueuedAt),
  };
}

export function failedTable(
  jobs: readonly FailedJobView[],
  colour: (text: string) => string,
): string {
  const header = ['JOB', 'CONVERSATION', 'SOURCE', 'ATTEMPTS', 'FAILED AT', 'REASON'];
  const rows = jobs.map((j) => [
    j.id,
    j.name === 'reconcile' ? j.conversationId : `(${j.name})`,
    j.source,
    `${j.attemptsMade}/${j.attempts}`,
    j.failedAt,
    j.failedReason,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[], paint = (t: string) => t) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? paint(cell) : cell.padEnd(widths[i] ?? 0)))
      .join('  ');
  return [line(header), ...rows.map((r) => line(r, colour))].join('\n');
}

async function list(
  queue: BullReconcileQueue,
  limit: number,
  json: boolean,
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const total = await queue.bull.getFailedCount();
  const jobs = (await queue.bull.getFailed(0, limit - 1)).filter(Boolean).map(viewOf);
  if (json) {
    io.stdout(`${JSON.stringify({ total, jobs }, null, 2)}\n`);
    return EXIT.ok;
  }
  if (total === 0) {
    io.stdout('no failed reconcile jobs\n');
    return EXIT.ok;
  }
  const shown = jobs.length < total ? ` (newest ${jobs.length} shown; --limit for more)` : '';
  io.stdout(`${total} failed job(s)${shown}\n`);
  io.stdout(`${failedTable(jobs, palette(io.stdoutIsTTY, env).red)}\n`);
  io.stdout('Retry with: continuity-bridge failed retry <job> | --all\n');
  return EXIT.ok;
}

/** A failure that would happen again at once: a permanent catalogue code, or job data that does not parse. */
export function isPermanentFailure(view: FailedJobView): boolean {
  const entry = (ERRORS as Record<string, { permanent: boolean } | undefined>)[view.code];
  return entry?.permanent === true || view.failedReason.startsWith('job data is not valid');
}

const RETRY_OPTIONS = { resetAttemptsMade: true, resetAttemptsStarted: true } as const;

/** The failed job with this job id, else the newest failed job for this conversation id. */
async function findFailed(queue: BullReconcileQueue, id: string): Promise<Job | undefined> {
  const byId = await queue.bull.getJob(id);
  if (byId) return byId;
  const failed = await queue.bull.getFailed(0, -1);
  return failed.find((job) => job?.data?.conversationId === id);
}

async function retryOne(
  queue: BullReconcileQueue,
  id: string,
  force: boolean,
  io: CliIo,
): Promise<number> {
  const job = await findFailed(queue, id);
  if (!job?.id) {
    io.stderr(
      `no failed job "${id}" (neither a job id nor a failed conversation); see "continuity-bridge failed list"\n`,
    );
    return EXIT.failure;
  }
  const state = await job.getState();
  if (state !== 'failed') {
    io.stderr(`job ${job.id} is ${state}, not failed: nothing to retry\n`);
    return EXIT.failure;
  }
  const view = viewOf(job);
  if (!force && isPermanentFailure(view)) {
    io.stderr(
      `job ${job.id} failed for good (${view.code || 'job data'}): it would fail again at once; fix the cause, then retry it with --force\n`,
    );
    return EXIT.failure;
  }
  await job.retry('failed', RETRY_OPTIONS);
  io.stdout(`retried 1 job: ${job.id} (conversation ${view.conversationId})\n`);
  return EXIT.ok;
}

async function retryAll(queue: BullReconcileQueue, force: boolean, io: CliIo): Promise<number> {
  // A snapshot of the ids first: retried jobs that fail again are not retried twice.
  const ids = await queue.bull.getRanges(['failed'], 0, -1);
  let retried = 0;
  const errors: string[] = [];
  const skipped = new Map<string, number>();
  for (const id of ids) {
    const job = await queue.bull.getJob(id);
    if (!job) continue; // removed meanwhile
    const view = viewOf(job);
    if (!force && isPermanentFailure(view)) {
      const code = view.code || 'job data';
      skipped.set(code, (skipped.get(code) ?? 0) + 1);
      continue;
    }
    try {
      await job.retry('failed', RETRY_OPTIONS);
      retried++;
    } catch (error) {
      errors.push(`${id}: ${safeMessage(error)}`);
    }
  }
  for (const error of errors) io.stderr(`could not retry job ${error}\n`);
  io.stdout(
    `retried ${retried} failed job(s)${errors.length ? `, ${errors.length} could not be retried` : ''}\n`,
  );
  if (skipped.size > 0) {
    const counts = [...skipped].map(([code, n]) => `${n} ${code}`).join(', ');
    const total = [...skipped.values()].reduce((a, b) => a + b, 0);
    io.stdout(
      `skipped ${total} that failed for good (${counts}): they would fail again at once; fix the cause, then add --force\n`,
    );
  }
  return errors.length > 0 ? EXIT.failure : EXIT.ok;
}

export async function failed(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('failed', io, async () => {
    const { values, positionals } = parseCommandLine(argv, {
      limit: { type: 'string' },
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      force: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(FAILED_HELP);
      return EXIT.ok;
    }
    const [action, ...rest] = positionals;
    if (action === 'list') {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      if (values.all) throw new UsageError('--all belongs to "failed retry"');
      const limit = values.limit ? parsePositiveInt(values.limit, '--limit') : 50;
      return withQueue(loadConfig(env), env, io, (queue) =>
        list(queue, limit, values.json === true, io, env),
      );
    }
    if (action === 'retry') {
      if (values.limit || values.json)
        throw new UsageError('--limit and --json belong to "failed list"');
      if (values.all && rest.length > 0) throw new UsageError('give a job id or --all, not both');
      if (!values.all && rest.length !== 1) throw new UsageError('expected one job id, or --all');
      return withQueue(loadConfig(env), env, io, (queue) =>
        values.all
          ? retryAll(queue, values.force === true, io)
          : retryOne(queue, rest[0] ?? '', values.force === true, io),
      );
    }
    throw new UsageError(
      action ? `unknown action "${action}" (list or retry)` : 'expected list or retry',
    );
  });
}
