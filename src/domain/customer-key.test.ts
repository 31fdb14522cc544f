import { describe, expect, it } from 'vitest';
import {
  customerKeyId,
  maskCustomerKey,
  normalizeAddress,
  parseCustomerKeyId,
  phoneForms,
} from './customer-key.ts';

describe('normalizeAddress', () => {
  it.each([
    ['+55 11 98765-4321', '5511987654321'],
    ['5511987654321', '5511987654321'],
    ['whatsapp:+5511987654321', '5511987654321'],
    ['WhatsApp:+55 (11) 98765-4321', '5511987654321'],
    ['tel:+5511987654321', '5511987654321'],
    ['  +1 (415) 555-0123 ', '14155550123'],
    ['+44 20 7946 0958', '442079460958'],
    ['0044 20 7946 0958', '442079460958'],
    ['wa:491701234567', '491701234567'],
    ['+91 98765 43210', '919876543210'],
  ])('reads %j as the digits-only key %s', (raw, digits) => {
    expect(normalizeAddress(raw)).toEqual({ ok: true, key: { kind: 'phone', value: digits } });
  });

  it('recognises business-scoped WhatsApp user ids as a second kind of key', () => {
    expect(normalizeAddress('BR.1502576394655843')).toEqual({
      ok: true,
      key: { kind: 'bsuid', value: 'BR.1502576394655843' },
    });
    expect(normalizeAddress('whatsapp:US.ENT.11815799212886844830')).toEqual({
      ok: true,
      key: { kind: 'bsuid', value: 'US.ENT.11815799212886844830' },
    });
  });

  it.each([
    ['', 'address is empty'],
    ['   ', 'address is empty'],
    ["' OR Name != '", 'address is not a phone number or WhatsApp user id'],
    ['hello world', 'address is not a phone number or WhatsApp user id'],
    ['+55 119 87', 'phone number must have 8 to 15 digits in E.164 form'],
    ['+55 11 9876', 'phone number is not valid for its country code'],
    ['+1234567890123456', 'phone number must have 8 to 15 digits in E.164 form'],
    ['+999 1234 5678', 'phone number is not valid for its country code'],
    ['+1 000 000 0000', 'phone number is not valid for its country code'],
    ['x'.repeat(500), 'address is too long'],
    ['+55 11 98765-4321; DROP TABLE', 'address is not a phone number or WhatsApp user id'],
    ['５５１１９８７６５４３２１', 'address is not a phone number or WhatsApp user id'],
  ])('rejects %j with a reason', (raw, reason) => {
    expect(normalizeAddress(raw)).toEqual({ ok: false, reason });
  });
});

describe('customer key ids', () => {
  it('round-trips through its string form', () => {
    const key = { kind: 'phone', value: '5511987654321' } as const;
    expect(customerKeyId(key)).toBe('phone:5511987654321');
    expect(parseCustomerKeyId(customerKeyId(key))).toEqual(key);
    expect(parseCustomerKeyId('nonsense')).toBeNull();
    expect(parseCustomerKeyId('email:a@b')).toBeNull();
  });

  it('masks all but the country code and the last three digits', () => {
    expect(maskCustomerKey({ kind: 'phone', value: '5511987654321' })).toBe('55********321');
    expect(maskCustomerKey({ kind: 'bsuid', value: 'BR.1502576394655843' })).toBe('BR.***');
  });
});

describe('one customer, several spellings (issue 10)', () => {
  const phone = (raw: string) => {
    const result = normalizeAddress(raw);
    return result.ok ? result.key.value : `invalid: ${result.reason}`;
  };

  it('a Brazilian mobile registered before the ninth digit arrives from WhatsApp as 12 digits: same customer as the 13-digit form', () => {
    expect(phone('+55 11 8765-4321')).toBe('5511987654321');
    expect(phone('551187654321')).toBe('5511987654321');
    expect(phone('whatsapp:+552187654321')).toBe('5521987654321');
    expect(phone('+55 11 98765-4321')).toBe('5511987654321');
  });

  it('a Brazilian landline is never rewritten', () => {
    expect(phone('+55 11 3333-1004')).toBe('551133331004');
    expect(phone('+55 21 2555-0101')).toBe('552125550101');
  });

  it('a Mexican WhatsApp id carries 521: same customer as the +52 the CRM writes', () => {
    expect(phone('5215512345678')).toBe('525512345678');
    expect(phone('+52 1 55 1234 5678')).toBe('525512345678');
    expect(phone('+52 55 1234 5678')).toBe('525512345678');
  });

  it('other forms libphonenumber proves equivalent map to the current plan (Argentina 15 → 9)', () => {
    expect(phone('+54 11 15 2345-6789')).toBe('5491123456789');
    expect(phone('+54 9 11 2345-6789')).toBe('5491123456789');
  });

  it('lists the forms a CRM may hold for one canonical key, canonical first', () => {
    expect(phoneForms('5511987654321')).toEqual(['5511987654321', '551187654321']);
    expect(phoneForms('525512345678')).toEqual(['525512345678', '5215512345678']);
    expect(phoneForms('551133331004')).toEqual(['551133331004']);
    expect(phoneForms('14155550123')).toEqual(['14155550123']);
  });
});
