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
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  if (!parsed || !parsed.isValid()) {
    return { ok: false, reason: 'phone number is not valid for its country code' };
  }
  return { ok: true, key: { kind: 'phone', value: parsed.number.slice(1) } };
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
