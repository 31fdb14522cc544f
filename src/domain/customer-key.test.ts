import { describe, expect, it } from 'vitest';
import {
  customerKeyId,
  maskCustomerKey,
  normalizeAddress,
  parseCustomerKeyId,
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
