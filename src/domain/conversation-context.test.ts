import { describe, expect, it } from 'vitest';
import {
  capNotes,
  clipUtf8,
  isUnresolvedWrapup,
  NOTES_MAX_CHARS,
  oneLine,
  pickAttributes,
  TRUNCATION_MARKER,
  utf8Bytes,
} from './conversation-context.ts';

describe('capNotes', () => {
  it('keeps notes up to the limit whole, trimmed', () => {
    expect(capNotes('  refund approval pending  ')).toBe('refund approval pending');
    const exact = 'a'.repeat(NOTES_MAX_CHARS);
    expect(capNotes(exact)).toBe(exact);
  });

  it('cuts longer notes and ends them with a visible marker, within the limit', () => {
    const capped = capNotes('é'.repeat(NOTES_MAX_CHARS + 10));
    expect(capped.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(Array.from(capped)).toHaveLength(NOTES_MAX_CHARS);
    expect(capNotes('abcdefghij'.repeat(10), 5 + Array.from(TRUNCATION_MARKER).length)).toBe(
      `abcde${TRUNCATION_MARKER}`,
    );
  });
});

describe('clipUtf8', () => {
  it('counts bytes: accented Portuguese takes two per letter, and never splits one', () => {
    const text = 'ação'.repeat(50); // 6 bytes per word
    const clipped = clipUtf8(text, 100);
    expect(utf8Bytes(clipped)).toBeLessThanOrEqual(100);
    expect(clipped.endsWith('…')).toBe(true);
    expect(clipped).not.toContain('\uFFFD');
    expect(clipUtf8('short', 100)).toBe('short');
  });
});

describe('utf8Bytes', () => {
  it('counts what an encoder writes: ASCII, accents, CJK, emoji pairs and lone surrogates', () => {
    const samples = [
      '',
      'plain ascii',
      'São Paulo, ação, niño',
      'ünïcödé € ₹ 日本語',
      'emoji 👍🏽 and flag 🇧🇷',
      'lone \uD83D high and \uDC4D low surrogates',
      'ends on a high surrogate \uD83D',
    ];
    const encoder = new TextEncoder();
    for (const text of samples) expect(utf8Bytes(text), text).toBe(encoder.encode(text).length);
  });
});

describe('oneLine', () => {
  it('collapses every run of spaces, breaks and control characters to one space, and trims', () => {
    const cases: Array<[string, string]> = [
      ['Refund pending; call back Tuesday.', 'Refund pending; call back Tuesday.'],
      ['two  spaces', 'two spaces'],
      [' edge ', 'edge'],
      ['line\nbreak\r\nand\ttab', 'line break and tab'],
      ['no\u00a0break\u2028separator\u3000wide', 'no break separator wide'],
      ['nul\u0000unit\u001cdel\u007f', 'nul unit del'],
      ['\ufeffbom', 'bom'],
      ['zero\u200bwidth stays', 'zero\u200bwidth stays'],
      ['ação às 10h', 'ação às 10h'],
      ['', ''],
    ];
    for (const [text, line] of cases) expect(oneLine(text)).toBe(line);
  });
});

describe('pickAttributes', () => {
  it('keeps only allow-listed text values, the first source winning, cut and on one line', () => {
    const customer = { intent: 'refund\nnow', cpf: '123.456.789-09', orderNumber: '' };
    const agent = { orderNumber: 'A-778', intent: 'other', score: 5 as unknown as string };
    expect(pickAttributes([customer, agent], ['intent', 'orderNumber', 'score'])).toEqual({
      intent: 'refund now',
      orderNumber: 'A-778',
    });
    expect(pickAttributes([{ note: 'x'.repeat(400) }], ['note']).note).toHaveLength(255);
    expect(pickAttributes([customer], [])).toEqual({});
  });
});

describe('isUnresolvedWrapup', () => {
  it('matches the code id or its name, without case', () => {
    const codes = ['Refund pending', '2f6a1c3e-0000-4000-8000-000000000001'];
    expect(isUnresolvedWrapup(codes, 'other-id', 'refund PENDING')).toBe(true);
    expect(isUnresolvedWrapup(codes, '2F6A1C3E-0000-4000-8000-000000000001', '')).toBe(true);
    expect(isUnresolvedWrapup(codes, 'resolved-id', 'Resolved')).toBe(false);
    expect(isUnresolvedWrapup([], 'x', 'Refund pending')).toBe(false);
    expect(isUnresolvedWrapup(['', 'x'], '', '')).toBe(false);
  });
});
