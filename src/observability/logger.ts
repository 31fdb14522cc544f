import { pino, type Logger } from 'pino';
import { maskDigits } from '../domain/customer-key.ts';

export type { Logger };

// Anything that looks like a phone number: 8–15 digits, optionally with +,
// spaces, dots or dashes between groups. UUIDs are not matched (hex + dashes
// in 8-4-4-4-12 groups never give 8 consecutive digits... except by chance,
// so ids are masked only when they are pure digit runs).
const PHONE_LIKE = /(?<![\w-])(?:\+|00)?\d[\d .-]{6,18}\d(?![\w-])/g;

// A run of 8 or more digits anywhere, inside identifiers too: a sender may
// build ids from the customer's number (`conv-61412320476`, `wa61412320476`).
// UUIDs (Genesys and Salesforce-side ids) are left whole: their groups can
// hold 8 digits by chance, and operators need them to trace a conversation.
const UUID_OR_DIGIT_RUN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{8,}/gi;
const UUID = /^[0-9a-f]{8}-/i;

/**
 * Masks phone-number-like substrings: `+5511987654321` → `55********321`, and
 * any run of 8+ digits, even inside an identifier (`conv-61********476`).
 */
export function maskPhoneNumbers(text: string): string {
  return text
    .replace(PHONE_LIKE, (match) => {
      const digits = match.replace(/\D/g, '');
      return digits.length >= 8 && digits.length <= 15 ? maskDigits(digits) : match;
    })
    .replace(UUID_OR_DIGIT_RUN, (match) => (UUID.test(match) ? match : maskDigits(match)));
}

/**
 * Fields that hold what customers and agents wrote (wrap-up notes, the summary
 * built from them, participant attributes): never logged, at any depth, in any
 * of the spellings Genesys, Salesforce and the bridge use. Defence in depth:
 * call sites already leave them out.
 */
export const PERSONAL_TEXT_KEYS = new Set([
  'notes',
  'wrapupNotes',
  'wrapUpNote',
  'lastNotes',
  'contextSummary',
  'attributes',
  'Notes__c',
  'Last_Notes__c',
  'Context__c',
  'Last_Context__c',
]);
export const REDACTED = '[personal data]';

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhoneNumbers(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  // Errors carry CRM messages and stacks that may quote a number (a SOQL
  // literal, a record value): they are serialized, then masked like the rest.
  if (value instanceof Error) return maskDeep(pino.stdSerializers.err(value), depth + 1);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = PERSONAL_TEXT_KEYS.has(key) && item !== '' ? REDACTED : maskDeep(item, depth + 1);
  }
  return out;
}

/**
 * JSON logs (pino) where every string field and message has phone numbers
 * masked, so no log line ever carries a customer's full WhatsApp number.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'continuity-bridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
      serializers: { err: (error: unknown) => maskDeep(error) },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskPhoneNumbers(arg) : arg));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
