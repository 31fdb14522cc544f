import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BridgeError, ERRORS, isBridgeError } from './catalogue.ts';

const docs = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = [
  ...docs.matchAll(/^\|\s*`(CB_ERR_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*(yes|no)\s*\|/gm),
].map(([, code, status, retried]) => ({
  code,
  status: Number(status),
  retried: retried === 'yes',
}));

describe('error catalogue', () => {
  it('is documented in docs/errors.md, code for code, with the same status and retry rule', () => {
    const catalogue = Object.entries(ERRORS).map(([code, e]) => ({
      code,
      status: e.status,
      retried: !e.permanent,
    }));
    expect(documented).toEqual(catalogue);
  });

  it('matches errors by code, which survives serialization', () => {
    const error = new BridgeError('CB_ERR_LOCK_BUSY', 'busy');
    expect(error.name).toBe('CB_ERR_LOCK_BUSY');
    expect(error.status).toBe(503);
    expect(error.permanent).toBe(false);
    expect(
      isBridgeError(JSON.parse(JSON.stringify({ code: error.code })), 'CB_ERR_LOCK_BUSY'),
    ).toBe(true);
    expect(isBridgeError(new Error('x'))).toBe(false);
    expect(isBridgeError({ code: 'ECONNRESET' })).toBe(false);
  });
});
