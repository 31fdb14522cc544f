// Runs a parsed SOQL query (test/emulators/salesforce/soql-parser.ts) against the
// emulator's tables: index seeks on External ID, Unique and Lookup fields,
// filters, ORDER BY with NULLS FIRST/LAST, LIMIT, child subqueries per parent,
// and rows in Salesforce's shape (`attributes`, DateTime as `…000+0000`, an
// empty subquery as null). Unknown objects, fields and relationships answer the
// errors Salesforce gives.
import type { Org } from './org.ts';
import type { FieldDef, ObjectDef, SRecord, Value } from './schema.ts';
import {
  DateTimeLiteral,
  parseSoql,
  SoqlError,
  type Condition,
  type Literal,
  type Order,
  type Query,
} from './soql-parser.ts';

export { SoqlError };

function fieldOf(object: ObjectDef, name: string): FieldDef {
  const field = object.fields.get(name.toLowerCase());
  if (field) return field;
  throw new SoqlError(
    'INVALID_FIELD',
    `No such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
  );
}

function checkLiteral(field: FieldDef, value: Literal): void {
  if (value === null) return;
  if (field.type === 'datetime' && value instanceof DateTimeLiteral) return;
  const want =
    field.type === 'checkbox'
      ? 'boolean'
      : field.type === 'number'
        ? 'number'
        : field.type === 'datetime'
          ? 'none'
          : 'string';
  if (typeof value !== want)
    throw new SoqlError(
      'INVALID_QUERY_FILTER_OPERATOR',
      `value of filter criterion for field '${field.name}' must be of type ${field.type} and should not be enclosed in quotes`,
    );
}

const same = (stored: Value, literal: Literal) =>
  literal instanceof DateTimeLiteral
    ? stored === literal.ms
    : typeof literal === 'string'
      ? typeof stored === 'string' && stored.toLowerCase() === literal.toLowerCase()
      : stored === literal;

/** `<`, `<=`, `>`, `>=`: a null value never matches (SOQL compares only values that exist). */
function compares(stored: Value, op: Condition['op'], literal: Literal): boolean {
  const value = literal instanceof DateTimeLiteral ? literal.ms : literal;
  if (stored === null || value === null || typeof stored !== typeof value) return false;
  const [a, b] = [stored as number | string, value as number | string];
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

const matches = (row: SRecord, c: Condition & { def: FieldDef }) => {
  const stored = row[c.def.name] ?? null;
  if (c.op === '=' || c.op === 'in') return c.values.some((v) => same(stored, v));
  if (c.op === '!=') return !c.values.some((v) => same(stored, v));
  return compares(stored, c.op, c.values[0] ?? null);
};

function filter(
  org: Org,
  object: ObjectDef,
  conditions: readonly Condition[],
  pool?: Iterable<SRecord>,
): SRecord[] {
  const resolved = conditions.map((c) => ({ ...c, def: fieldOf(object, c.field) }));
  for (const c of resolved) c.values.forEach((v) => checkLiteral(c.def, v));
  let rows = pool;
  const seek = resolved.find(
    (c) => (c.op === '=' || c.op === 'in') && org.isIndexed(c.def) && !c.values.includes(null),
  );
  if (!rows && seek) {
    const table = org.tables.get(object.name)!;
    const ids = new Set(
      seek.values.flatMap((v) =>
        seek.def.type === 'id'
          ? [String(v)]
          : [...org.lookup(object.name, seek.def.name, v as Value)],
      ),
    );
    rows = [...ids].flatMap((id): SRecord[] => {
      const row = table.get(id);
      return row ? [row] : [];
    });
  }
  return [...(rows ?? org.tables.get(object.name)!.values())].filter((row) =>
    resolved.every((c) => matches(row, c)),
  );
}

function sort(object: ObjectDef, rows: SRecord[], order: readonly Order[]): SRecord[] {
  const keys = order.map((o) => ({ ...o, def: fieldOf(object, o.field) }));
  return rows.sort((a, b) => {
    for (const key of keys) {
      const x = a[key.def.name] ?? null;
      const y = b[key.def.name] ?? null;
      if (x === y) continue;
      if (x === null || y === null) return (x === null) === key.nullsLast ? 1 : -1;
      const cx = typeof x === 'string' ? x.toLowerCase() : x;
      const cy = typeof y === 'string' ? y.toLowerCase() : y;
      if (cx === cy) continue;
      return (cx < cy ? -1 : 1) * (key.desc ? -1 : 1);
    }
    return 0;
  });
}

/** `2026-11-25T12:00:00.000+0000`, the form Salesforce returns DateTime values in. */
export const sfDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

function output(
  org: Org,
  object: ObjectDef,
  query: Query,
  rows: SRecord[],
  dataPath: string,
): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {
      attributes: {
        type: object.name,
        url: `${dataPath}/sobjects/${object.name}/${String(row.Id)}`,
      },
    };
    for (const item of query.items) {
      if (item.kind === 'field') {
        const field = fieldOf(object, item.name);
        const value = row[field.name] ?? null;
        out[field.name] =
          field.type === 'datetime' && typeof value === 'number' ? sfDateTime(value) : value;
        continue;
      }
      const relation = object.children.get(item.query.from.toLowerCase())!;
      const child = org.object(relation.object)!;
      const mine = filter(org, child, [
        { field: relation.field, op: '=', values: [String(row.Id)] },
      ]);
      const matched = sort(
        child,
        filter(org, child, item.query.where, mine),
        item.query.order,
      ).slice(0, item.query.limit);
      out[relation.name] =
        matched.length === 0
          ? null
          : {
              totalSize: matched.length,
              done: true,
              records: output(org, child, item.query, matched, dataPath),
            };
    }
    return out;
  });
}

function validate(object: ObjectDef, query: Query, org: Org): void {
  for (const item of query.items) {
    if (item.kind === 'field') fieldOf(object, item.name);
    else {
      const relation = object.children.get(item.query.from.toLowerCase());
      if (!relation)
        throw new SoqlError(
          'INVALID_TYPE',
          `Didn't understand relationship '${item.query.from}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`,
        );
      if (item.query.items.some((i) => i.kind === 'sub'))
        throw new SoqlError('MALFORMED_QUERY', 'Nesting of semi join sub-selects is not supported');
      validate(org.object(relation.object)!, item.query, org);
    }
  }
}

/** Runs `soql`; returns every matching row (the caller pages) in Salesforce's record shape. */
export function runSoql(org: Org, soql: string, dataPath: string): Record<string, unknown>[] {
  const query = parseSoql(soql);
  const object = org.object(query.from);
  if (!object)
    throw new SoqlError('INVALID_TYPE', `sObject type '${query.from}' is not supported.`);
  validate(object, query, org);
  const rows = sort(object, filter(org, object, query.where), query.order).slice(0, query.limit);
  return output(org, object, query, rows, dataPath);
}
