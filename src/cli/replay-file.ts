/**
 * Reading a file of recorded events for `replay`. Accepted forms:
 *
 * 1. JSON lines: one JSON value per line, each what `POST /v1/events` accepts —
 *    an EventBridge envelope, a bare detail-event body, or an array of them.
 *    Blank lines are skipped. Positions are line numbers.
 * 2. A JSON array of such values (an EventBridge archive or replay export,
 *    e.g. events collected by a rule into a file). Positions are item numbers.
 * 3. A JSON object `{ "events": [ … ] }` holding such an array.
 * 4. A single JSON object (one envelope or body, pretty-printed or not).
 *
 * The form is chosen from the content: a document that parses as a whole is
 * forms 2–4 unless its first line is already a complete JSON value (then it is
 * JSON lines).
 */

export type ReplayForm = 'json-lines' | 'array' | 'events-object' | 'single';

export interface ReplayItem {
  /** 1-based line (JSON lines) or item number (the other forms). */
  readonly position: number;
  readonly value?: unknown;
  /** Why the item could not be read as JSON; set instead of `value`. */
  readonly error?: string;
}

export interface ReplayDocument {
  readonly form: ReplayForm;
  /** `line` or `item`, for messages. */
  readonly unit: 'line' | 'item';
  readonly items: readonly ReplayItem[];
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
}

function jsonLines(text: string): ReplayDocument {
  const items: ReplayItem[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = tryParse(line);
    items.push(
      parsed.ok
        ? { position: index + 1, value: parsed.value }
        : { position: index + 1, error: parsed.error },
    );
  });
  return { form: 'json-lines', unit: 'line', items };
}

const numbered = (values: readonly unknown[]): ReplayItem[] =>
  values.map((value, index) => ({ position: index + 1, value }));

export function parseReplayText(text: string): ReplayDocument {
  const body = text.replace(/^\uFEFF/, '');
  const trimmed = body.trim();
  if (trimmed === '') return { form: 'json-lines', unit: 'line', items: [] };
  const isMultiLine = trimmed.includes('\n');
  const firstLine = trimmed.split(/\r?\n/, 1)[0] ?? '';
  if (isMultiLine && tryParse(firstLine).ok) return jsonLines(body);

  const whole = tryParse(trimmed);
  if (!whole.ok) return jsonLines(body);
  const value = whole.value;
  if (Array.isArray(value)) return { form: 'array', unit: 'item', items: numbered(value) };
  if (typeof value === 'object' && value !== null && 'events' in value) {
    const { events } = value as { events: unknown };
    if (Array.isArray(events)) {
      return { form: 'events-object', unit: 'item', items: numbered(events) };
    }
  }
  // One value: a one-line file is JSON lines (position = line 1) either way.
  return isMultiLine
    ? { form: 'single', unit: 'item', items: [{ position: 1, value }] }
    : { form: 'json-lines', unit: 'line', items: [{ position: 1, value }] };
}

/** `3, 7, 12` — or the first `max` and a count of the rest. */
export function formatPositions(positions: readonly number[], max = 20): string {
  if (positions.length <= max) return positions.join(', ');
  return `${positions.slice(0, max).join(', ')} and ${positions.length - max} more`;
}
