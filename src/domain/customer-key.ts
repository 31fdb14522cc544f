import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Who the customer is. Today WhatsApp gives us a phone number; Meta's
 * business-scoped user ids (BSUID, e.g. `BR.1502576394655843`) replace it for
 * users who hide their number. Both are keys of one customer type, so the
 * store, cache and lock code never branch on which one arrived.
 */
export type CustomerKey =
  | { readonly kind: 'phone'; /** E.164 without `+`: `5511987654321` */ readonly value: string }
  | { readonly kind: 'bsuid'; readonly value: string };

export type AddressResult =
  | { readonly ok: true; readonly key: CustomerKey }
  | { readonly ok: false; readonly reason: string };

// Two-letter country, optional parent segment, then up to 128 alphanumerics.
const BSUID = /^[A-Z]{2}(?:\.[A-Z]{2,8})?\.[A-Za-z0-9]{1,128}$/;
const PREFIX = /^(?:whatsapp|wa|tel|sms):/i;
const MAX_ADDRESS_LENGTH = 200;

/**
 * Turns any address form Genesys or a person produces into a customer key:
 * `+55 11 98765-4321`, `5511987654321`, `whatsapp:+5511…`, `tel:+55…`,
 * `00 55 11 …`, or a BSUID. Bare digits are read as international (that is
 * the WhatsApp `wa_id` form), never as a national number of some default region.
 */
export function normalizeAddress(raw: string): AddressResult {
  // Validation against the full metadata is the costliest step of a warm
  // lookup; returning customers repeat their address, so results are memoized.
  const known = memo.get(raw);
  if (known) return known;
  const result = normalizeUncached(raw);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(raw, result);
  return result;
}

const MEMO_SIZE = 10_000;
const memo = new Map<string, AddressResult>();

function normalizeUncached(raw: string): AddressResult {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, reason: 'address is empty' };
  if (trimmed.length > MAX_ADDRESS_LENGTH) return { ok: false, reason: 'address is too long' };
  const unprefixed = trimmed.replace(PREFIX, '').trim();
  if (BSUID.test(unprefixed)) return { ok: true, key: { kind: 'bsuid', value: unprefixed } };

  if (!/^[+\d\s().\-/]+$/.test(unprefixed)) {
    return { ok: false, reason: 'address is not a phone number or WhatsApp user id' };
  }
  let digits = unprefixed.replace(/\D/g, '');
  if (!unprefixed.startsWith('+') && digits.startsWith('00')) digits = digits.slice(2);
  if (digits.length < 8 || digits.length > 15) {
    return { ok: false, reason: 'phone number must have 8 to 15 digits in E.164 form' };
  }
  const canonical = canonicalPhone(digits);
  if (canonical === null) {
    return { ok: false, reason: 'phone number is not valid for its country code' };
  }
  return { ok: true, key: { kind: 'phone', value: canonical } };
}

/** E.164 digits of a valid number, in libphonenumber's form (its transforms applied). */
function validE164(digits: string): string | null {
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isValid() ? parsed.number.slice(1) : null;
}

// Brazil: a mobile number of the old plan, `55 DD 8765-4321` (8 digits, first
// 6-9). WhatsApp accounts registered before the ninth digit (2012-2016) still
// carry it; the current plan writes `55 DD 98765-4321`. Landlines (first digit
// 2-5) have 8 digits in both plans and are never rewritten.
const BRAZIL_OLD_MOBILE = /^55(\d{2})([6-9]\d{7})$/;
// Mexico: WhatsApp ids carry the mobile token `1` after 52 that the numbering
// plan dropped in 2019; the current form is `52` + 10 digits.
const MEXICO_MOBILE_TOKEN = /^521(\d{10})$/;

/**
 * The current numbering plan's form of a number, or null when it is no valid
 * number in any form. libphonenumber's own transforms (e.g. Argentina's `15`
 * mobile prefix) apply first; the two rewrites libphonenumber's metadata does
 * not know are applied only when the rewritten number is valid (and, for
 * Brazil, a mobile number).
 */
function canonicalPhone(digits: string): string | null {
  const brazil = BRAZIL_OLD_MOBILE.exec(digits);
  if (brazil) {
    const current = `55${brazil[1]}9${brazil[2]}`;
    const parsed = parsePhoneNumberFromString(`+${current}`);
    if (parsed?.isValid() && parsed.getType() === 'MOBILE') return current;
  }
  const mexico = MEXICO_MOBILE_TOKEN.exec(digits);
  if (mexico && validE164(digits) === null) {
    const current = validE164(`52${mexico[1]}`);
    if (current !== null) return current;
  }
  return validE164(digits);
}

/**
 * Every form a CRM may hold for one canonical phone key, canonical first: the
 * Brazilian mobile without its ninth digit, the Mexican mobile with `521`.
 * Lookups match a Contact by any of them; writes use the canonical form.
 */
export function phoneForms(canonical: string): string[] {
  const forms = [canonical];
  const brazil = /^55(\d{2})9([6-9]\d{7})$/.exec(canonical);
  if (brazil) forms.push(`55${brazil[1]}${brazil[2]}`);
  const mexico = /^52(\d{10})$/.exec(canonical);
  if (mexico) forms.push(`521${mexico[1]}`);
  return forms;
}

/** The forms a store may hold for a key: `phoneForms` for a number, the id itself for a BSUID. */
export function keyForms(key: CustomerKey): string[] {
  return key.kind === 'phone' ? phoneForms(key.value) : [key.value];
}

/**
 * The keys a stored customer holds (a Contact's number and business-scoped
 * user id), each in canonical form; values that are empty or not a key of
 * their kind are left out.
 */
export function storedKeys(phone: string, bsuid: string): CustomerKey[] {
  const keys: CustomerKey[] = [];
  for (const [kind, value] of [
    ['phone', phone],
    ['bsuid', bsuid],
  ] as const) {
    const normalized = value ? normalizeAddress(value) : null;
    if (normalized?.ok && normalized.key.kind === kind) keys.push(normalized.key);
  }
  return keys;
}

/** Stable string form for cache keys, locks and job ids: `phone:5511…`, `bsuid:BR.…`. */
export function customerKeyId(key: CustomerKey): string {
  return `${key.kind}:${key.value}`;
}

export function parseCustomerKeyId(id: string): CustomerKey | null {
  const sep = id.indexOf(':');
  const kind = id.slice(0, sep);
  const value = id.slice(sep + 1);
  if (sep < 0 || value === '') return null;
  if (kind === 'phone' || kind === 'bsuid') return { kind, value };
  return null;
}

/** What logs may show of a customer: country code and last three digits only. */
export function maskCustomerKey(key: CustomerKey): string {
  if (key.kind === 'bsuid') return `${key.value.slice(0, 3)}***`;
  return maskDigits(key.value);
}

export function maskDigits(digits: string): string {
  if (digits.length <= 5) return '*'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 5)}${digits.slice(-3)}`;
}
