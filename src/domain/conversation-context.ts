/**
 * The story of a conversation that the next agent needs (issue: "the next agent
 * knows the story"): the wrap-up notes, whether it ended unresolved, the
 * channel, and allow-listed participant attributes. Pure text rules only; who
 * fills these values lives in the reconcile slice and the adapters.
 */

/**
 * Notes are kept whole up to this many characters. `Notes__c`/`Last_Notes__c`
 * are 32,768-character long text areas; the marker must fit too.
 */
export const NOTES_MAX_CHARS = 32_000;

/** Appended where the bridge cut notes, so an agent never mistakes a cut for the end. */
export const TRUNCATION_MARKER = ' […truncated by Continuity Bridge]';

/** One allow-listed attribute value is kept up to this many characters. */
export const ATTRIBUTE_VALUE_MAX_CHARS = 255;

/** At most this many attributes per conversation (the allow-list is capped the same). */
export const ATTRIBUTES_MAX = 20;

export type ContextAttributes = Readonly<Record<string, string>>;

/** Notes as stored: trimmed, and cut with a visible marker past `max` characters. */
export function capNotes(notes: string, max: number = NOTES_MAX_CHARS): string {
  const trimmed = notes.trim();
  const chars = Array.from(trimmed);
  if (chars.length <= max) return trimmed;
  const room = Math.max(0, max - Array.from(TRUNCATION_MARKER).length);
  return chars.slice(0, room).join('').trimEnd() + TRUNCATION_MARKER;
}

/**
 * The UTF-8 length of `text`, counted without encoding it: every lookup sizes
 * its answer, and allocating an encoded copy of it was a measurable share of a
 * warm lookup. A lone surrogate counts 3 bytes, as its U+FFFD replacement does.
 */
export function utf8Bytes(text: string): number {
  // Most text is ASCII up to its end; the regex engine finds that out faster than a loop.
  const firstWide = text.search(NON_ASCII);
  if (firstWide < 0) return text.length;
  let bytes = text.length;
  for (let i = firstWide; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
    } else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 2; // the pair's two units already count 2 of its 4 bytes
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * True when `text` takes at most `maxBytes` UTF-8 bytes. A UTF-16 unit never
 * takes more than 3 bytes (a surrogate pair takes 4 for its 2 units), so short
 * text is known to fit without counting.
 */
export function fitsUtf8(text: string, maxBytes: number): boolean {
  return text.length * 3 <= maxBytes || utf8Bytes(text) <= maxBytes;
}

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes on a character boundary, ending
 * in "…" when cut. Sizes that reach Genesys are counted in bytes: Portuguese
 * and Spanish notes take two bytes for every accented letter.
 */
export function clipUtf8(text: string, maxBytes: number): string {
  if (fitsUtf8(text, maxBytes)) return text;
  const ellipsis = '…';
  let budget = maxBytes - utf8Bytes(ellipsis);
  let out = '';
  for (const char of text) {
    const size = utf8Bytes(char);
    if (size > budget) break;
    out += char;
    budget -= size;
  }
  return out.trimEnd() + ellipsis;
}

/** One line for logs-free display: control characters and runs of spaces collapsed. */
export function oneLine(text: string): string {
  // Most text is one line already: a single test, instead of a replace per space.
  if (!NOT_ONE_LINE.test(text)) return text;
  return text.replace(SPACE_RUNS, ' ').trim();
}

// eslint-disable-next-line no-control-regex
const SPACE_RUNS = /[\s\u0000-\u001f\u007f]+/g;
/** Anything oneLine would change: a space other than " ", a control character, two spaces, or an edge space. */
// eslint-disable-next-line no-control-regex
const NOT_ONE_LINE = /[^\S ]|[\u0000-\u001f\u007f]| {2}|^ | $/;

/**
 * The allow-listed attributes among the participants' attribute maps, the
 * first map that has a name winning (callers pass the customer's first). Values
 * that are not text are skipped; values are cut to ATTRIBUTE_VALUE_MAX_CHARS.
 */
export function pickAttributes(
  sources: readonly (Readonly<Record<string, unknown>> | undefined)[],
  allowList: readonly string[],
): ContextAttributes {
  const picked: Record<string, string> = {};
  for (const name of allowList.slice(0, ATTRIBUTES_MAX)) {
    for (const source of sources) {
      const value = source?.[name];
      if (typeof value !== 'string' || value.trim() === '') continue;
      picked[name] = Array.from(oneLine(value)).slice(0, ATTRIBUTE_VALUE_MAX_CHARS).join('');
      break;
    }
  }
  return picked;
}

/**
 * True when a wrap-up code marks the conversation unresolved. `codes` may hold
 * Genesys wrap-up code ids or names (admins know names; events carry ids); both
 * compare without case.
 */
export function isUnresolvedWrapup(
  codes: readonly string[],
  wrapupCode: string,
  wrapupName: string,
): boolean {
  if (codes.length === 0) return false;
  const wanted = new Set(codes.map((code) => code.trim().toLowerCase()));
  return [wrapupCode, wrapupName].some(
    (value) => value !== '' && wanted.has(value.trim().toLowerCase()),
  );
}

/** Genesys message types (WHATSAPP, SMS, webmessaging…) as a lower-case channel name. */
export function channelName(messageType: string | undefined): string {
  return (messageType ?? '').trim().toLowerCase().slice(0, 32);
}
