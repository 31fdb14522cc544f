import { describe, expect, it } from 'vitest';
import { slicesOf } from '../../src/cli/backfill.command.ts';
import { formatDuration, parseDuration, parseInstant } from '../../src/cli/cli-args.ts';
import { palette, UsageError } from '../../src/cli/cli-io.ts';
import { errorCodeOf, failedTable, type FailedJobView } from '../../src/cli/failed.command.ts';
import { describeDecision, decisionDetails } from '../../src/cli/lookup.command.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { replaySummary } from '../../src/cli/replay.command.ts';
import { anAgentDecision } from '../factories/decision.factory.ts';
import { captureIo } from './cli-harness.ts';

const decision = anAgentDecision;

describe('durations and times', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['6h', 6 * 3_600_000],
    ['2d', 2 * 86_400_000],
    ['1h30m', 90 * 60_000],
    ['1w', 7 * 86_400_000],
    ['45s', 45_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text, '--since')).toBe(ms));

  it.each(['', '6', 'h', '-1h', '1.5h', '0m', '6 hours'])('rejects %j', (text) => {
    expect(() => parseDuration(text, '--since')).toThrow(UsageError);
  });

  it('reads ISO instants only', () => {
    expect(parseInstant('2026-11-25T12:00:00Z', '--until')).toBe(Date.UTC(2026, 10, 25, 12));
    expect(() => parseInstant('2026-11-25', '--until')).toThrow(/not an ISO time/);
    expect(() => parseInstant('tomorrow', '--until')).toThrow(UsageError);
  });

  it('formats durations for people', () => {
    expect(formatDuration(90 * 60_000)).toBe('1 h 30 min');
    expect(formatDuration(2 * 86_400_000)).toBe('2 d');
    expect(formatDuration(30_000)).toBe('30 s');
  });
});

describe('backfill slices', () => {
  it('cuts the window into consecutive slices, the last one shorter', () => {
    expect(slicesOf(0, 150, 60)).toEqual([
      { start: 0, end: 60 },
      { start: 60, end: 120 },
      { start: 120, end: 150 },
    ]);
    expect(slicesOf(0, 0, 60)).toEqual([]);
  });
});

describe('lookup output', () => {
  it('says the action, target, reason, last conversation and age in one line', () => {
    expect(describeDecision(decision())).toBe(
      'agent → agent 91979899… in queue 8cf75217… (reason owner_available, last conversation 9bd13240…, 42 min ago)',
    );
    expect(
      describeDecision(
        decision({
          action: 'fallback',
          reason: 'no_history',
          queueId: '',
          agentId: '',
          lastConversationId: '',
        }),
      ),
    ).toBe("fallback → the flow's queue (reason no_history)");
    expect(describeDecision(decision({ action: 'queue', ageMinutes: 3 * 1440 }))).toMatch(
      /^queue → queue 8cf75217… \(reason owner_available, .*3 d ago\)$/,
    );
  });

  it('lists the full ids below', () => {
    const lines = decisionDetails(decision({ caseId: '500xx', caseNumber: '00001026' }), 'cache');
    expect(lines.join('\n')).toContain('91979899-5186-4cee-beaa-1abafca462f9 (100)');
    expect(lines.join('\n')).toContain('500xx (00001026)');
    expect(lines.at(-1)).toMatch(/source\s+cache/);
  });
});

describe('replay summary', () => {
  const totals = { accepted: 2, duplicates: 1, ignored: 3, valid: 3 };
  it('names the rejected lines', () => {
    expect(replaySummary(totals, [{ position: 2, reason: 'x' }], 'line', false)).toBe(
      'accepted 2, duplicates 1, ignored 3, rejected 1 (line 2)',
    );
    expect(replaySummary(totals, [], 'line', false)).toBe(
      'accepted 2, duplicates 1, ignored 3, rejected 0',
    );
    const many = [3, 5, 9].map((position) => ({ position, reason: 'x' }));
    expect(replaySummary(totals, many, 'item', true)).toBe(
      'dry run: valid 3, ignored 3, rejected 3 (items 3, 5, 9)',
    );
  });
});

describe('failed table', () => {
  it('aligns columns and keeps the whole reason', () => {
    const job: FailedJobView = {
      id: '12',
      code: 'CB_ERR_CRM_UNAVAILABLE',
      name: 'reconcile',
      conversationId: 'conv-1',
      source: 'event',
      attemptsMade: 8,
      attempts: 8,
      failedReason: 'CB_ERR_CRM_UNAVAILABLE: HTTP 503',
      failedAt: '2026-11-25T12:00:00.000Z',
      enqueuedAt: '',
    };
    const [header, row] = failedTable([job], (t) => t).split('\n');
    expect(header).toMatch(/^JOB\s+CONVERSATION\s+SOURCE\s+ATTEMPTS\s+FAILED AT\s+REASON$/);
    expect(row).toMatch(/^12\s+conv-1\s+event\s+8\/8\s+2026-11-25T12:00:00.000Z\s+CB_ERR_CRM/);
    expect(header?.indexOf('REASON')).toBe(row?.indexOf('CB_ERR'));
  });
});

describe('error code of a failed job', () => {
  it('comes from the reason, else from the last stack trace', () => {
    expect(errorCodeOf('CB_ERR_NO_CUSTOMER_ADDRESS: conversation c: empty', null)).toBe(
      'CB_ERR_NO_CUSTOMER_ADDRESS',
    );
    const stack = ['Error: first', 'CB_ERR_GENESYS_UNAVAILABLE: genesys x: HTTP 503\n    at …'];
    expect(errorCodeOf('genesys x: HTTP 503', stack)).toBe('CB_ERR_GENESYS_UNAVAILABLE');
    expect(errorCodeOf('boom', ['Error: boom'])).toBe('');
  });
});

describe('colour and progress', () => {
  it('colours only a terminal, and never with NO_COLOR', () => {
    expect(palette(true, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(palette(false, {}).red('x')).toBe('x');
    expect(palette(true, { NO_COLOR: '1' }).red('x')).toBe('x');
  });

  it('draws a bar on a terminal and plain periodic lines otherwise', () => {
    let now = 0;
    const tty = captureIo({ tty: true });
    const bar = createProgress(tty.io, {
      label: 'replay',
      total: 4,
      unit: 'lines',
      now: () => now,
    });
    bar.update(2);
    bar.update(4);
    bar.finish('done');
    expect(tty.stderr()).toContain('\r');
    expect(tty.stderr()).toContain('4/4 lines (100%) done\n');

    const plain = captureIo();
    const lines = createProgress(plain.io, {
      label: 'replay',
      total: 4,
      unit: 'lines',
      now: () => now,
    });
    lines.update(1);
    now = 2500;
    lines.update(2);
    lines.update(3);
    lines.finish();
    expect(plain.stderr()).not.toContain('\r');
    expect(plain.stderr().split('\n').filter(Boolean)).toEqual([
      'replay: 2/4 lines (50%)',
      'replay: 3/4 lines (75%)',
    ]);
  });
});
