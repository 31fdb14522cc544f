import { clipUtf8, fitsUtf8, oneLine, utf8Bytes } from './conversation-context.ts';
import type { CustomerRecord, Ownership } from './ownership.ts';

/**
 * What the lookup tells the flow about the customer's last conversation, so
 * the next agent does not make the customer repeat it. Flat, never null.
 *
 * Sizes are in UTF-8 bytes: the whole lookup answer stays under 2 KB with 20
 * preferred agents (../shared/reference/genesys.md §1.5), and participant data
 * values stay short enough for an agent's screen. The CRM keeps the whole notes.
 */
export const LOOKUP_NOTES_MAX_BYTES = 280;
export const CONTEXT_SUMMARY_MAX_BYTES = 240;
export const CONTEXT_JSON_MAX_BYTES = 400;
/** Agent, queue and wrap-up names in the answer (the CRM keeps up to 255 characters). */
export const NAME_MAX_BYTES = 100;
/** The whole lookup answer, serialized: the context gives way first when agents are many. */
export const LOOKUP_MAX_BYTES = 2048;

export interface NextAgentContext {
  lastAgentName: string;
  lastQueueName: string;
  lastWrapupCode: string;
  lastWrapupName: string;
  lastNotes: string;
  unresolved: boolean;
  /** Case id, else Contact id, else empty: what Genesys Cloud for Salesforce pops. */
  screenPopId: string;
  contextSummary: string;
  /** Allow-listed attributes as a JSON object string (`{}` when none). */
  context: string;
}

/**
 * The last conversation ended unresolved: by its wrap-up code (decided when it
 * was recorded), or because the Case it was recorded on is still open.
 */
export function lastUnresolved(customer: CustomerRecord | null): boolean {
  const current = customer?.current;
  if (!customer || !current) return false;
  if (current.unresolved) return true;
  const onThisCase = current.caseId === '' || current.caseId === customer.caseId;
  return customer.caseOpen && customer.caseId !== '' && onThisCase;
}

const MINUTE = 60_000;

/** "just now", "12 minutes ago", "5 hours ago", "3 days ago". */
export function ageText(ageMs: number): string {
  const minutes = Math.floor(Math.max(0, ageMs) / MINUTE);
  if (minutes < 1) return 'just now';
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} ago`;
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return unit(hours, 'hour');
  return unit(Math.floor(hours / 24), 'day');
}

const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  webmessaging: 'web messaging',
  facebook: 'Messenger',
  instagram: 'Instagram',
  open: 'open messaging',
};

/**
 * One plain line an agent can read in a second: who, when, where, how it
 * ended, and the start of the notes. Ids never appear: an unnamed agent is
 * "an agent". `notesLine` is the notes already made one line, when the caller has it.
 */
export function summaryLine(
  current: Ownership,
  unresolved: boolean,
  now: number,
  notesLine: string = oneLine(current.notes),
): string {
  const who = current.agentName || 'an agent';
  const where = current.queueName ? ` in ${current.queueName}` : '';
  const channel = current.channel ? ` on ${CHANNEL_NAMES[current.channel] ?? current.channel}` : '';
  const outcome = current.wrapupName ? `; ended "${current.wrapupName}"` : '';
  const state = unresolved ? ', unresolved' : '';
  const notes = notesLine ? `. Notes: ${notesLine}` : '';
  const line = `Last handled by ${who}${where} ${ageText(now - current.endedAt)}${channel}${outcome}${state}${notes}`;
  return clipUtf8(line, CONTEXT_SUMMARY_MAX_BYTES);
}

/** Attributes as a JSON object that always parses: whole entries are dropped to fit. */
export function contextJson(attributes: Readonly<Record<string, string>>): string {
  const whole = JSON.stringify(attributes);
  if (fitsUtf8(whole, CONTEXT_JSON_MAX_BYTES)) return whole;
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const next = { ...kept, [name]: value };
    if (!fitsUtf8(JSON.stringify(next), CONTEXT_JSON_MAX_BYTES)) continue;
    kept[name] = value;
  }
  return JSON.stringify(kept);
}

const NO_CONTEXT: NextAgentContext = {
  lastAgentName: '',
  lastQueueName: '',
  lastWrapupCode: '',
  lastWrapupName: '',
  lastNotes: '',
  unresolved: false,
  screenPopId: '',
  contextSummary: '',
  context: '{}',
};

export function nextAgentContext(customer: CustomerRecord | null, now: number): NextAgentContext {
  const current = customer?.current ?? null;
  const screenPopId = customer?.caseId || customer?.contactId || '';
  if (!current) return { ...NO_CONTEXT, screenPopId };
  const unresolved = lastUnresolved(customer);
  const notesLine = oneLine(current.notes);
  return {
    lastAgentName: clipUtf8(current.agentName, NAME_MAX_BYTES),
    lastQueueName: clipUtf8(current.queueName, NAME_MAX_BYTES),
    lastWrapupCode: clipUtf8(current.wrapupCode, NAME_MAX_BYTES),
    lastWrapupName: clipUtf8(current.wrapupName, NAME_MAX_BYTES),
    lastNotes: clipUtf8(notesLine, LOOKUP_NOTES_MAX_BYTES),
    unresolved,
    screenPopId,
    contextSummary: summaryLine(current, unresolved, now, notesLine),
    context: contextJson(current.attributes),
  };
}

/** An answer as Architect receives it: fitted to LOOKUP_MAX_BYTES, and that very JSON. */
export interface LookupAnswer<T> {
  readonly answer: T;
  readonly json: string;
}

/**
 * The answer cut to LOOKUP_MAX_BYTES: with many preferred agents the free text
 * gives way, notes first, then the summary, then the attributes. Routing
 * fields are never touched. The size is the size of the JSON that is sent, so
 * that JSON is returned too: the answer is serialized once.
 */
export function fitLookupAnswer<T extends NextAgentContext>(answer: T): LookupAnswer<T> {
  let fitted = answer;
  let json = JSON.stringify(fitted);
  for (const field of ['lastNotes', 'contextSummary'] as const) {
    if (fitsUtf8(json, LOOKUP_MAX_BYTES)) return { answer: fitted, json };
    const over = utf8Bytes(json) - LOOKUP_MAX_BYTES;
    const size = utf8Bytes(fitted[field]);
    fitted = {
      ...fitted,
      [field]: size > over + 3 ? clipUtf8(fitted[field], size - over - 3) : '',
    };
    json = JSON.stringify(fitted);
  }
  if (!fitsUtf8(json, LOOKUP_MAX_BYTES)) {
    fitted = { ...fitted, context: '{}' };
    json = JSON.stringify(fitted);
  }
  return { answer: fitted, json };
}
