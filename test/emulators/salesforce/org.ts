// The data side of the Salesforce emulator (test/emulators/salesforce/emulator.ts):
// in-memory tables with indexes, and record writes validated the way Salesforce
// validates them (unknown or read-only fields, types, lengths, restricted
// picklists, lookups, unique keys), so a field the adapter sends that the
// metadata does not define fails loudly instead of being silently stored.
import {
  loadSchema,
  truncateToSecond,
  type FieldDef,
  type ObjectDef,
  type SaveError,
  type SRecord,
  type Value,
} from './schema.ts';

const indexed = (f: FieldDef) => f.externalId || f.unique || f.type === 'lookup';
const norm = (value: Value) => (typeof value === 'string' ? value.toLowerCase() : String(value));
const fail = (statusCode: string, message: string, fields: string[] = []): SaveError => ({
  statusCode,
  message,
  fields,
});

/** In-memory tables with an index on every External ID, Unique and Lookup field. */
export class Org {
  readonly schema: Map<string, ObjectDef>;
  readonly tables = new Map<string, Map<string, SRecord>>();
  readonly #index = new Map<string, Map<string, Set<string>>>();
  #sequence = 0;
  #caseNumber = 1000;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.schema = loadSchema();
    this.#now = now;
    for (const object of this.schema.values()) this.tables.set(object.name, new Map());
  }

  object(name: string): ObjectDef | undefined {
    for (const object of this.schema.values())
      if (object.name.toLowerCase() === name.toLowerCase()) return object;
    return undefined;
  }

  /** Ids of records whose indexed `field` equals `value` (case-insensitive for text). */
  lookup(object: string, field: string, value: Value): Set<string> {
    return this.#index.get(`${object}.${field}`)?.get(norm(value)) ?? new Set();
  }

  isIndexed(field: FieldDef): boolean {
    return indexed(field) || field.type === 'id';
  }

  /** The one record with this unique `field` value, or undefined. */
  findBy(object: string, field: string, value: Value): SRecord | undefined {
    const [id] = field === 'Id' ? [String(value)] : this.lookup(object, field, value);
    return id === undefined ? undefined : this.tables.get(object)?.get(id);
  }

  /**
   * Validates `input` (API field names, any case; `Rel__r: {attributes, ExtId: v}`
   * references resolved) into stored values; returns a SaveError on the first problem.
   */
  validate(
    object: ObjectDef,
    input: Record<string, unknown>,
    skip: readonly string[],
  ): SRecord | SaveError {
    const out: SRecord = {};
    for (const [rawName, raw] of Object.entries(input)) {
      if (rawName === 'attributes' || skip.includes(rawName.toLowerCase())) continue;
      let field = object.fields.get(rawName.toLowerCase());
      let value: unknown = raw;
      if (!field && rawName.endsWith('__r')) {
        field = object.fields.get(`${rawName.slice(0, -3)}__c`.toLowerCase());
        const reference = raw as Record<string, unknown> | null;
        const [key, keyValue] =
          Object.entries(reference ?? {}).find(([k]) => k !== 'attributes') ?? [];
        const parent =
          field?.referenceTo && key
            ? this.findBy(
                field.referenceTo,
                this.object(field.referenceTo)?.fields.get(key.toLowerCase())?.name ?? key,
                keyValue as Value,
              )
            : undefined;
        if (!field || !parent) {
          return fail(
            'INVALID_FIELD',
            `Foreign key external ID: ${String(keyValue)} not found for field ${String(key)} in entity ${field?.referenceTo ?? rawName}`,
          );
        }
        value = parent.Id;
      }
      if (!field)
        return fail(
          'INVALID_FIELD',
          `No such column '${rawName}' on sobject of type ${object.name}`,
          [rawName],
        );
      if (field.readOnly)
        return fail(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${field.name}.`,
          [field.name],
        );
      const stored = this.#coerce(field, value);
      if (typeof stored === 'object' && stored !== null) return stored;
      out[field.name] = stored;
    }
    return out;
  }

  #coerce(field: FieldDef, value: unknown): Value | SaveError {
    if (value === null || value === undefined || value === '')
      return field.type === 'checkbox' ? false : null;
    const bad = () =>
      fail(
        'INVALID_TYPE_ON_FIELD_IN_RECORD',
        `${field.name}: value not of required type: ${JSON.stringify(value)}`,
        [field.name],
      );
    switch (field.type) {
      case 'datetime': {
        const ms = typeof value === 'string' ? Date.parse(value) : NaN;
        return Number.isNaN(ms) ? bad() : truncateToSecond(ms);
      }
      case 'number':
        return typeof value === 'number' ? value : bad();
      case 'checkbox':
        return typeof value === 'boolean' ? value : bad();
      case 'lookup': {
        if (typeof value !== 'string' || !/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(value)) {
          return fail(
            'MALFORMED_ID',
            `${field.name}: id value of incorrect type: ${String(value)}`,
            [field.name],
          );
        }
        return this.findBy(field.referenceTo!, 'Id', value)
          ? value
          : fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
      }
      default: {
        if (typeof value !== 'string') return bad();
        if (field.length !== undefined && value.length > field.length) {
          return fail(
            'STRING_TOO_LONG',
            `${field.name}: data value too large: ${value} (max length=${field.length})`,
            [field.name],
          );
        }
        if (field.values && !field.values.includes(value)) {
          return fail(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${field.name}: bad value for restricted picklist field: ${value}`,
            [field.name],
          );
        }
        return value;
      }
    }
  }

  /** Inserts (no `id`) or updates a record after unique checks; returns its Id or a SaveError. */
  save(object: ObjectDef, values: SRecord, id?: string): string | SaveError {
    const table = this.tables.get(object.name)!;
    const current = id ? table.get(id) : undefined;
    for (const [name, value] of Object.entries(values)) {
      const field = object.fields.get(name.toLowerCase())!;
      if (!field.unique || value === null) continue;
      const owner = [...this.lookup(object.name, field.name, value)].find((other) => other !== id);
      if (owner)
        return fail(
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${owner}`,
          [field.name],
        );
    }
    const record: SRecord = current ? { ...current } : this.#newRecord(object);
    for (const [name, value] of Object.entries(values)) {
      if (current) this.#unindex(object, name, current[name] ?? null, current.Id as string);
      record[name] = value;
    }
    table.set(record.Id as string, record);
    for (const field of object.fields.values()) {
      if (indexed(field) && (!current || field.name in values))
        this.#indexValue(object, field.name, record[field.name] ?? null, record.Id as string);
    }
    return record.Id as string;
  }

  #newRecord(object: ObjectDef): SRecord {
    this.#sequence += 1;
    const id = `${object.idPrefix}xx${String(this.#sequence).padStart(10, '0')}AAA`;
    const record: SRecord = { Id: id, CreatedDate: truncateToSecond(this.#now()) };
    for (const field of object.fields.values())
      if (!(field.name in record)) record[field.name] = field.type === 'checkbox' ? false : null;
    if (object.name === 'Case')
      record.CaseNumber = String((this.#caseNumber += 1)).padStart(8, '0');
    if (object.name === 'Conversation_Ownership__c')
      record.Name = `CO-${String(this.#sequence).padStart(6, '0')}`;
    return record;
  }

  #indexValue(object: ObjectDef, field: string, value: Value, id: string): void {
    if (value === null) return;
    const key = `${object.name}.${field}`;
    const byValue = this.#index.get(key) ?? new Map<string, Set<string>>();
    this.#index.set(key, byValue);
    const ids = byValue.get(norm(value)) ?? new Set<string>();
    byValue.set(norm(value), ids.add(id));
  }

  #unindex(object: ObjectDef, field: string, value: Value, id: string): void {
    if (value !== null) this.#index.get(`${object.name}.${field}`)?.get(norm(value))?.delete(id);
  }

  /**
   * Deletes a record: a soft delete moves it to the recycle bin (where
   * Salesforce keeps it 15 days, undeletable), a hard delete removes it for
   * good. Returns false when no live record has this id.
   */
  remove(objectName: string, id: string, hard: boolean): boolean {
    const object = this.object(objectName);
    const table = object && this.tables.get(object.name);
    const record = table?.get(id);
    if (!object || !table || !record) return false;
    for (const field of object.fields.values())
      if (indexed(field)) this.#unindex(object, field.name, record[field.name] ?? null, id);
    table.delete(id);
    if (!hard) this.recycleBin.set(id, { object: object.name, record });
    return true;
  }

  /** Soft-deleted records by Id (Salesforce's recycle bin). */
  readonly recycleBin = new Map<string, { readonly object: string; readonly record: SRecord }>();

  /** Seed helper: inserts without the write log (Case IsClosed is settable here only). */
  seed(objectName: string, values: SRecord): string {
    const object = this.object(objectName)!;
    const { IsClosed, ...rest } = values;
    const id = this.save(object, rest);
    if (typeof id !== 'string') throw new Error(`emulator seed: ${id.message}`);
    if (IsClosed !== undefined) this.tables.get(object.name)!.get(id)!.IsClosed = IsClosed;
    return id;
  }
}
