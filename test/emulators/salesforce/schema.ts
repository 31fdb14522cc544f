// The Salesforce emulator's schema (test/emulators/salesforce/emulator.ts): the custom
// fields of Contact, Case and Conversation_Ownership__c read from force-app/
// metadata — so the emulator's org is the one the project deploys — plus the
// standard fields the bridge reads or writes, named here.
import { fileURLToPath } from 'node:url';
import { loadForceApp } from '../../support/force-app-model.ts';

export type FieldType =
  'id' | 'text' | 'datetime' | 'number' | 'checkbox' | 'lookup' | 'picklist' | 'auto';

export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  readonly length?: number;
  readonly referenceTo?: string;
  /** External ID or Unique: values are indexed (case-insensitively) and kept unique when `unique`. */
  readonly externalId?: boolean;
  readonly unique?: boolean;
  readonly values?: readonly string[];
  /** System fields (Id, CreatedDate, CaseNumber, Name) cannot be written. */
  readonly readOnly?: boolean;
}

export interface ObjectDef {
  readonly name: string;
  readonly idPrefix: string;
  readonly fields: Map<string, FieldDef>;
  /** Child relationships by lower-case name: `conversation_ownerships__r` → its object and lookup field. */
  readonly children: Map<
    string,
    { readonly object: string; readonly field: string; readonly name: string }
  >;
}

/** Stored values: text/picklist/lookup/id strings, datetimes as epoch ms, numbers, booleans, or null. */
export type Value = string | number | boolean | null;
export type SRecord = Record<string, Value>;
export interface SaveError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: string[];
}

const FORCE_APP = fileURLToPath(new URL('../../../force-app/main/default', import.meta.url));
const TYPES: Record<string, FieldType> = {
  Text: 'text',
  LongTextArea: 'text',
  DateTime: 'datetime',
  Number: 'number',
  Checkbox: 'checkbox',
  Lookup: 'lookup',
  Picklist: 'picklist',
};

/** Custom fields from force-app metadata, plus the standard fields the bridge reads or writes. */
export function loadSchema(): Map<string, ObjectDef> {
  const std = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
    name,
    type,
    ...extra,
  });
  const objects = new Map<string, ObjectDef>();
  const define = (name: string, idPrefix: string, fields: FieldDef[]) =>
    objects.set(name, {
      name,
      idPrefix,
      fields: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
      children: new Map(),
    });
  const system = [
    std('Id', 'id', { readOnly: true }),
    std('CreatedDate', 'datetime', { readOnly: true }),
  ];
  define('Contact', '003', [
    ...system,
    std('LastName', 'text', { length: 80 }),
    std('FirstName', 'text', { length: 40 }),
  ]);
  define('Case', '500', [
    ...system,
    std('CaseNumber', 'auto', { readOnly: true }),
    std('ContactId', 'lookup', { referenceTo: 'Contact' }),
    std('IsClosed', 'checkbox', { readOnly: true }),
    std('Status', 'text', { length: 40 }),
    std('Subject', 'text', { length: 255 }),
  ]);
  define('Conversation_Ownership__c', 'a0B', [...system, std('Name', 'auto', { readOnly: true })]);
  objects
    .get('Contact')!
    .children.set('cases', { object: 'Case', field: 'ContactId', name: 'Cases' });
  // The custom fields come from force-app through the same model the metadata tests check.
  const model = loadForceApp(FORCE_APP);
  for (const object of objects.values()) {
    for (const meta of Object.values(model.objects[object.name]?.fields ?? {})) {
      const type = TYPES[meta.type];
      if (!type) throw new Error(`emulator: unsupported field type in ${meta.file}`);
      const field: FieldDef = {
        name: meta.name,
        type,
        externalId: meta.externalId,
        unique: meta.unique,
        ...(meta.length !== undefined && { length: meta.length }),
        ...(meta.restrictedPicklist && { values: meta.picklistValues }),
        ...(type === 'lookup' && { referenceTo: meta.referenceTo }),
      };
      object.fields.set(meta.name.toLowerCase(), field);
      if (type === 'lookup' && meta.relationshipName) {
        const child = {
          object: object.name,
          field: meta.name,
          name: `${meta.relationshipName}__r`,
        };
        objects.get(meta.referenceTo)?.children.set(child.name.toLowerCase(), child);
      }
    }
  }
  return objects;
}

/** Salesforce stores DateTime fields with a precision of one second (API "Primitive Data Types"). */
export const truncateToSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
