import { BridgeError } from '../../errors/catalogue.ts';

/**
 * Longest URL-encoded SOQL text per query. Query subrequests travel in a URL
 * (`/services/data/vXX.X/query/?q=…`); keeping `q` under 15,000 characters
 * keeps the whole URL below 16 KB, the size Salesforce accepts for a URI.
 */
export const MAX_ENCODED_SOQL = 15_000;

/** True when `value` cannot become a SOQL literal (see `soqlLiteral`). */
export function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * A quoted SOQL string literal. Backslash and single quote are escaped
 * (reference/salesforce.md §2.4); control characters are rejected rather than
 * escaped, because no customer key or conversation id ever contains one.
 * Every value that reaches a query goes through this function.
 */
export function soqlLiteral(value: string): string {
  if (hasControlCharacter(value)) {
    throw new BridgeError('CB_ERR_VALIDATION', 'SOQL literal contains a control character');
  }
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `('a', 'b')` for an `IN` clause; callers never pass an empty list. */
export function soqlInList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('soqlInList needs at least one value');
  return `(${values.map(soqlLiteral).join(', ')})`;
}

/**
 * Splits `values` into as few queries as possible, each built by `build` and
 * each at most `maxEncoded` characters once URL-encoded. Duplicates are dropped.
 */
export function chunkedQueries(
  values: readonly string[],
  build: (chunk: readonly string[]) => string,
  maxEncoded = MAX_ENCODED_SOQL,
): string[] {
  const unique = [...new Set(values)];
  const encodedLength = (chunk: readonly string[]) => encodeURIComponent(build(chunk)).length;
  const queries: string[] = [];
  let chunk: string[] = [];
  for (const value of unique) {
    const next = [...chunk, value];
    if (encodedLength(next) <= maxEncoded) {
      chunk = next;
      continue;
    }
    if (chunk.length === 0) throw new Error('one value alone exceeds the SOQL URL budget');
    queries.push(build(chunk));
    chunk = [value];
    if (encodedLength(chunk) > maxEncoded) {
      throw new Error('one value alone exceeds the SOQL URL budget');
    }
  }
  if (chunk.length > 0) queries.push(build(chunk));
  return queries;
}
