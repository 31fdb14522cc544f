import { keyForms, type CustomerKey } from '../../domain/customer-key.ts';
import { CASE, CONTACT, CONVERSATION_OWNERSHIP } from './fields.salesforce.ts';
import { contactKeyField, historyKeyField, STANDARD } from './names.salesforce.ts';
import { historyFields } from './queries.salesforce.ts';
import { chunkedQueries, soqlInList } from './soql.salesforce.ts';

/**
 * SOQL for the privacy adapter (personal-data.salesforce.ts). Values enter only
 * through `soqlInList` (escaped); names come from the field map.
 */

const H = CONVERSATION_OWNERSHIP.fields;

/** The bridge's own fields on Contact and Case: the `Last_*` set (identical on both). */
export const BRIDGE_FIELDS: readonly string[] = Object.values(CASE.fields).map((f) => f.name);
/** The Contact's WhatsApp keys: the CRM's identity of the customer, exported, never cleared. */
export const CONTACT_KEY_FIELDS: readonly string[] = [
  CONTACT.fields.whatsAppNumber.name,
  CONTACT.fields.whatsAppUserId.name,
];
export const UNRESOLVED_FIELD = CASE.fields.lastUnresolved.name;
export const LAST_INTERACTION_FIELD = CASE.fields.lastInteractionAt.name;

const caseSelect = () => [STANDARD.id, STANDARD.caseNumber, ...BRIDGE_FIELDS].join(', ');
const historySelect = () =>
  [...new Set([STANDARD.id, H.contact.name, ...historyFields()])].join(', ');

/** Every stored form of the keys of one kind (canonical and older numbering plans). */
export function formsOf(keys: readonly CustomerKey[], kind: CustomerKey['kind']): string[] {
  return [...new Set(keys.filter((k) => k.kind === kind).flatMap(keyForms))];
}

/** Contacts holding any form of the keys, with every Case's bridge fields. */
export function subjectContactQueries(kind: CustomerKey['kind'], forms: readonly string[]) {
  const fields = [STANDARD.id, ...CONTACT_KEY_FIELDS, ...BRIDGE_FIELDS].join(', ');
  return chunkedQueries(
    forms,
    (chunk) =>
      `SELECT ${fields}, (SELECT ${caseSelect()} FROM ${STANDARD.contactCases})` +
      ` FROM ${CONTACT.object} WHERE ${contactKeyField(kind)} IN ${soqlInList(chunk)}`,
  );
}

/** Every history row of the keys, linked to a Contact or not. */
export function subjectHistoryQueries(kind: CustomerKey['kind'], forms: readonly string[]) {
  return chunkedQueries(
    forms,
    (chunk) =>
      `SELECT ${historySelect()} FROM ${CONVERSATION_OWNERSHIP.object}` +
      ` WHERE ${historyKeyField(kind)} IN ${soqlInList(chunk)}`,
  );
}

/** Only the conversation ids of the keys' history rows. */
export function conversationIdQueries(kind: CustomerKey['kind'], forms: readonly string[]) {
  return chunkedQueries(
    forms,
    (chunk) =>
      `SELECT ${H.conversationId.name} FROM ${CONVERSATION_OWNERSHIP.object}` +
      ` WHERE ${historyKeyField(kind)} IN ${soqlInList(chunk)}`,
  );
}

/** Cases named by history rows (`Case__c`) that are not the subject's Contact's. */
export function casesByIdQueries(ids: readonly string[]) {
  return chunkedQueries(
    ids,
    (chunk) =>
      `SELECT ${caseSelect()} FROM ${CASE.object} WHERE ${STANDARD.id} IN ${soqlInList(chunk)}`,
  );
}

/** `2026-01-02T03:04:05Z`: a SOQL dateTime literal (unquoted, whole seconds, UTC). */
export function soqlDateTime(ms: number): string {
  if (!Number.isFinite(ms)) throw new Error('soqlDateTime needs a finite time');
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Retention: history rows whose conversation ended before `cutoff` (Ids only). */
export function expiredHistoryQuery(cutoff: number): string {
  return (
    `SELECT ${STANDARD.id} FROM ${CONVERSATION_OWNERSHIP.object}` +
    ` WHERE ${H.endedAt.name} < ${soqlDateTime(cutoff)}`
  );
}

/** Retention: Contacts or Cases whose last conversation ended before `cutoff`. */
export function staleOwnerQuery(object: string, cutoff: number): string {
  return (
    `SELECT ${STANDARD.id}, ${BRIDGE_FIELDS.join(', ')} FROM ${object}` +
    ` WHERE ${LAST_INTERACTION_FIELD} < ${soqlDateTime(cutoff)}`
  );
}
