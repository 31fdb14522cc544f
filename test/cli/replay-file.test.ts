import { describe, expect, it } from 'vitest';
import { formatPositions, parseReplayText } from '../../src/cli/replay-file.ts';

const event = (id: string) => ({ conversationId: id, eventTime: 1 });
const lines = (...values: unknown[]) => values.map((v) => JSON.stringify(v)).join('\n');

describe('parseReplayText', () => {
  it('reads JSON lines with line numbers, skipping blank lines and reporting bad ones', () => {
    const text = `${JSON.stringify(event('a'))}\n\n{oops\n${JSON.stringify([event('b'), event('c')])}\r\n`;
    const document = parseReplayText(text);
    expect(document.form).toBe('json-lines');
    expect(document.unit).toBe('line');
    expect(document.items.map((i) => i.position)).toEqual([1, 3, 4]);
    expect(document.items[1]?.error).toMatch(/^not valid JSON/);
    expect(document.items[2]?.value).toEqual([event('b'), event('c')]);
  });

  it('reads a JSON array (an EventBridge export), pretty-printed or not', () => {
    const array = [event('a'), event('b')];
    for (const text of [JSON.stringify(array), JSON.stringify(array, null, 2)]) {
      const document = parseReplayText(text);
      expect(document.form).toBe('array');
      expect(document.unit).toBe('item');
      expect(document.items).toEqual([
        { position: 1, value: event('a') },
        { position: 2, value: event('b') },
      ]);
    }
  });

  it('reads { "events": [...] }', () => {
    const document = parseReplayText(JSON.stringify({ events: [event('a')] }, null, 2));
    expect(document.form).toBe('events-object');
    expect(document.items).toEqual([{ position: 1, value: event('a') }]);
  });

  it('reads one pretty-printed event, and a one-line event as line 1', () => {
    expect(parseReplayText(JSON.stringify(event('a'), null, 2))).toMatchObject({
      form: 'single',
      items: [{ position: 1, value: event('a') }],
    });
    expect(parseReplayText(lines(event('a')))).toMatchObject({
      form: 'json-lines',
      unit: 'line',
      items: [{ position: 1, value: event('a') }],
    });
  });

  it('treats a document that does not parse as JSON lines (each bad line reported)', () => {
    const document = parseReplayText('[\n{"a": 1},\n');
    expect(document.form).toBe('json-lines');
    expect(document.items.every((i) => i.error !== undefined)).toBe(true);
  });

  it('is empty for an empty file and drops a byte-order mark', () => {
    expect(parseReplayText('  \n').items).toEqual([]);
    expect(parseReplayText(`\uFEFF${lines(event('a'), event('b'))}`).items).toHaveLength(2);
  });
});

describe('formatPositions', () => {
  it('lists positions, then counts the rest', () => {
    expect(formatPositions([1, 2, 3])).toBe('1, 2, 3');
    expect(formatPositions([1, 2, 3, 4], 2)).toBe('1, 2 and 2 more');
  });
});
