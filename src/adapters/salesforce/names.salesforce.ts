import { CONTACT, CONVERSATION_OWNERSHIP } from './fields.salesforce.ts';
import type { CustomerKey } from '../../domain/customer-key.ts';

/**
 * Standard Salesforce fields and relationships the adapter uses. They are not
 * custom fields, so they are not in `fields.salesforce.ts` (whose
 * parity test looks for metadata files under `force-app/`), but they are named
 * here once so no other file spells a field name.
 */
export const STANDARD = {
  id: 'Id',
  lastName: 'LastName',
  caseNumber: 'CaseNumber',
  isClosed: 'IsClosed',
  createdDate: 'CreatedDate',
  /** Child relationship Contact → Case. */
  contactCases: 'Cases',
} as const;

/** The relationship name of a custom lookup: `Contact__c` → `Contact__r`. */
export function relationshipName(lookupField: string): string {
  if (!lookupField.endsWith('__c')) throw new Error(`${lookupField} is not a custom lookup`);
  return `${lookupField.slice(0, -3)}__r`;
}

/** The Contact field that holds this kind of customer key (both are External IDs). */
export function contactKeyField(kind: CustomerKey['kind']): string {
  return kind === 'phone' ? CONTACT.fields.whatsAppNumber.name : CONTACT.fields.whatsAppUserId.name;
}

/** The history-row field that holds this kind of customer key. */
export function historyKeyField(kind: CustomerKey['kind']): string {
  const f = CONVERSATION_OWNERSHIP.fields;
  return kind === 'phone' ? f.whatsAppNumber.name : f.whatsAppUserId.name;
}

// Salesforce record ids: 15 or 18 alphanumerics; Case ids start with `500`.
const CASE_ID = /^500[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

/** True when `id` looks like a Case id (conversation attributes are free text). */
export function isCaseId(id: string): boolean {
  return CASE_ID.test(id);
}
