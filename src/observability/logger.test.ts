import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskPhoneNumbers } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('logs never carry a full phone number', () => {
  it.each([
    ['+5511987654321', '55********321'],
    ['whatsapp:+55 11 98765-4321', 'whatsapp:55********321'],
    ['tel:+14155550123', 'tel:14******123'],
    ['5511987654321', '55********321'],
    // Digit runs inside identifiers: senders build ids from the customer's number.
    ['conv-61412320476', 'conv-61******476'],
    ['wa61412320476x', 'wa61******476x'],
    ['ticket_5511987654321_2', 'ticket_55********321_2'],
  ])('masks %s', (raw, masked) => {
    expect(maskPhoneNumbers(raw)).toBe(masked);
  });

  it('leaves ids, times and counts alone', () => {
    for (const text of [
      '9bd13240-8441-404f-bd30-a6a8babba5d4',
      'aaaaaaaa-0000-4000-8000-00000000000a',
      '2026-11-25T12:00:00.000Z',
      'took 1500 ms',
      'v68.0',
    ]) {
      expect(maskPhoneNumbers(text)).toBe(text);
    }
  });

  it('masks messages and nested fields of every log line', () => {
    const { logger, lines } = capture();
    logger.info(
      { event: { ani: '+5511987654321', conversationId: '9bd13240-8441-404f-bd30-a6a8babba5d4' } },
      'lookup for +55 11 98765-4321',
    );
    const line = lines.join('');
    expect(line).not.toMatch(/987654|98765-4321/);
    expect(line).toContain('55********321');
    expect(line).toContain('9bd13240-8441-404f-bd30-a6a8babba5d4');
  });

  it('masks numbers quoted in error messages and stacks, top-level or nested', () => {
    const { logger, lines } = capture();
    const error = new Error("MALFORMED_QUERY: WhatsApp_Number__c = '5511987654321'");
    logger.error(
      { err: error, context: { cause: new Error('no contact for +14155550123') } },
      'failed',
    );
    const line = lines.join('');
    expect(line).not.toMatch(/987654|4155550123/);
    expect(line).toContain('MALFORMED_QUERY');
    expect(line).toContain('no contact for');
  });

  it('never logs notes, summaries or attributes, at any depth', () => {
    const { logger, lines } = capture();
    logger.warn(
      {
        event: { body: { wrapupNotes: 'cliente pediu estorno; CPF 123.456.789-09' } },
        record: { Last_Notes__c: 'refund pending', Context__c: '{"intent":"refund"}' },
        decision: { lastNotes: 'refund pending', contextSummary: 'Last handled by Ana…' },
        participant: { attributes: { orderNumber: 'A-778' } },
      },
      'reconcile failed',
    );
    const line = lines.join('');
    for (const secret of ['estorno', 'refund', 'A-778', 'Ana', '789-09']) {
      expect(line).not.toContain(secret);
    }
    expect(line.match(/\[personal data\]/g)).toHaveLength(6);
  });
});
