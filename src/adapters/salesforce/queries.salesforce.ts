import { CASE, CONTACT, CONVERSATION_OWNERSHIP } from './fields.salesforce.ts';
import { keyForms, type CustomerKey } from '../../domain/customer-key.ts';
import { RECENT_LIMIT } from './records.salesforce.ts';
import { contactKeyField, historyKeyField, STANDARD } from './names.salesforce.ts';
import { chunkedQueries, soqlInList, soqlLiteral } from './soql.salesforce.ts';

/**
 * SOQL text for every read the adapter makes. Values only ever enter a query
 * through `soqlLiteral`/`soqlInList`; field and object names come from the
 * field map (`fields.salesforce.ts`) and `STANDARD`.
 */

/** Rows without a Contact read per commit batch (per-customer top ten kept in code). */
export const ORPHAN_HISTORY_LIMIT = 2000;

const H = CONVERSATION_OWNERSHIP.fields;
const C = CONTACT.fields;
const HISTORY = CONVERSATION_OWNERSHIP.object;
const NEWEST_FIRST = `ORDER BY ${H.endedAt.name} DESC NULLS LAST, ${H.conversationId.name} DESC`;
/**
 * Duplicate Contacts (an org without the uniqueness flag on the key field):
 * the first created is the customer's, for the lookup and the commit alike.
 */
const FIRST_CREATED = `ORDER BY ${STANDARD.createdDate} ASC, ${STANDARD.id} ASC`;

const unique = (names: readonly string[]) => [...new Set(names)].join(', ');

/** The history fields an Ownership is built from. */
export function historyFields(): string[] {
  return [
    H.conversationId.name,
    H.case.name,
    H.whatsAppNumber.name,
    H.whatsAppUserId.name,
    H.agentId.name,
    H.agentName.name,
    H.queueId.name,
    H.queueName.name,
    H.wrapupCode.name,
    H.wrapupName.name,
    H.startedAt.name,
    H.endedAt.name,
    H.transferCount.name,
    H.source.name,
    H.notes.name,
    H.unresolved.name,
    H.channel.name,
    H.context.name,
  ];
}

/** Case fields read with a Case: its number and the version of its `Last_*` copy. */
const caseFields = () =>
  [
    STANDARD.id,
    STANDARD.caseNumber,
    CASE.fields.lastConversationId.name,
    CASE.fields.lastInteractionAt.name,
  ].join(', ');

/** Cases the batch's conversations name, for their own version compare. */
export function casesByIdQueries(caseIds: readonly string[]): string[] {
  return chunkedQueries(
    caseIds,
    (chunk) =>
      `SELECT ${caseFields()} FROM ${CASE.object} WHERE ${STANDARD.id} IN ${soqlInList(chunk)}`,
  );
}

/**
 * Contact fields plus two subqueries: the most recent open Case, and the ten
 * newest history rows. A subquery with no rows comes back as `null` in REST.
 */
function contactSelect(vipField: string): string {
  const fields = unique([
    STANDARD.id,
    C.whatsAppNumber.name,
    C.whatsAppUserId.name,
    vipField,
    C.lastAgentId.name,
    C.lastAgentName.name,
    C.lastQueueId.name,
    C.lastQueueName.name,
    C.lastConversationId.name,
    C.lastWrapupCode.name,
    C.lastWrapupName.name,
    C.lastInteractionAt.name,
    C.lastNotes.name,
    C.lastUnresolved.name,
    C.lastChannel.name,
    C.lastContext.name,
  ]);
  const openCase =
    `(SELECT ${caseFields()} FROM ${STANDARD.contactCases}` +
    ` WHERE ${STANDARD.isClosed} = false ORDER BY ${STANDARD.createdDate} DESC LIMIT 1)`;
  const history =
    `(SELECT ${unique(historyFields())} FROM ${CONVERSATION_OWNERSHIP.contactRelationship}` +
    ` ${NEWEST_FIRST} LIMIT ${RECENT_LIMIT})`;
  return `SELECT ${fields}, ${openCase}, ${history} FROM ${CONTACT.object}`;
}

/** `= 'value'` for one form, `IN ('a', 'b')` for several (any form the CRM may hold). */
function matchesForms(forms: readonly string[]): string {
  return forms.length === 1 ? `= ${soqlLiteral(forms[0]!)}` : `IN ${soqlInList(forms)}`;
}

/**
 * The lookup's Contact: by any form of its key (a Brazilian mobile with or
 * without its ninth digit, a Mexican one with or without `1`), the first
 * created when there are duplicates, with case and history.
 */
export function contactByKeyQuery(key: CustomerKey, vipField: string): string {
  return (
    `${contactSelect(vipField)} WHERE ${contactKeyField(key.kind)} ${matchesForms(keyForms(key))}` +
    ` ${FIRST_CREATED} LIMIT 1`
  );
}

/**
 * History rows of a key not linked to any Contact, newest ten: the whole
 * history of a customer without a Contact, and rows written before the
 * customer's Contact existed (they count until a commit links them).
 */
export function historyByKeyQuery(key: CustomerKey): string {
  return (
    `SELECT ${unique(historyFields())} FROM ${HISTORY}` +
    ` WHERE ${H.contact.name} = null AND ${historyKeyField(key.kind)} ${matchesForms(keyForms(key))}` +
    ` ${NEWEST_FIRST} LIMIT ${RECENT_LIMIT}`
  );
}

/** Contacts for many keys of one kind, chunked so each query URL stays under 16 KB. */
export function contactsByKeysQueries(
  kind: CustomerKey['kind'],
  values: readonly string[],
  vipField: string,
): string[] {
  return chunkedQueries(
    values.flatMap((value) => keyForms({ kind, value } as CustomerKey)),
    (chunk) =>
      `${contactSelect(vipField)} WHERE ${contactKeyField(kind)} IN ${soqlInList(chunk)} ${FIRST_CREATED}`,
  );
}

/** Existing history rows (their version and customer) for the batch's conversations. */
export function historyByConversationQueries(conversationIds: readonly string[]): string[] {
  return chunkedQueries(
    conversationIds,
    (chunk) =>
      `SELECT ${H.conversationId.name}, ${H.endedAt.name}, ${H.whatsAppNumber.name}, ${H.whatsAppUserId.name} FROM ${HISTORY}` +
      ` WHERE ${H.conversationId.name} IN ${soqlInList(chunk)}`,
  );
}

/**
 * History rows without a Contact for many keys (every form): the stored owner
 * of customers who have no Contact, and rows of customers whose Contact was
 * created after them. Linked rows are read through the Contact's subquery.
 */
export function orphanHistoryQueries(
  kind: CustomerKey['kind'],
  values: readonly string[],
): string[] {
  return chunkedQueries(
    values.flatMap((value) => keyForms({ kind, value } as CustomerKey)),
    (chunk) =>
      `SELECT ${unique(historyFields())} FROM ${HISTORY}` +
      ` WHERE ${H.contact.name} = null AND ${historyKeyField(kind)} IN ${soqlInList(chunk)}` +
      ` ${NEWEST_FIRST} LIMIT ${ORPHAN_HISTORY_LIMIT}`,
  );
}

/** The REST path of a query (`GET`, or a composite subrequest URL). */
export function queryPath(dataPath: string, soql: string): string {
  return `${dataPath}/query?q=${encodeURIComponent(soql)}`;
}
