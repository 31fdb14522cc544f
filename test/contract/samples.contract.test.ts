import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEventsBody } from '../../src/reconcile/event-parser.ts';

// The README's sample events: each accepted shape, each taken as one event.
const DIR = new URL('../../docs/samples/', import.meta.url);

describe('docs/samples', () => {
  const files = readdirSync(DIR).filter((name) => name.startsWith('event-'));
  it('has one file per accepted shape', () => expect(files.length).toBe(3));
  it.each(files)('%s is accepted as one WhatsApp wrap-up', (name) => {
    const body: unknown = JSON.parse(readFileSync(new URL(name, DIR), 'utf8'));
    const parsed = parseEventsBody(body, { messageTypes: ['WHATSAPP'] });
    expect(parsed).toMatchObject({ ok: true, value: { ignored: 0 } });
    expect(parsed.ok && parsed.value.events).toHaveLength(1);
  });
});
