import { z } from 'zod';
import type { CustomerKey } from '../../domain/customer-key.ts';
import type { FutureVersions } from '../../ports/version-repair.port.ts';
import type { SalesforceClient } from './client.salesforce.ts';
import {
  collectionOutcomes,
  CompositeResponse,
  compositeRequest,
  MAX_COLLECTION_RECORDS,
  subrequestBody,
} from './composite.salesforce.ts';
import { CASE, CONTACT, CONVERSATION_OWNERSHIP } from './fields.salesforce.ts';
import { STANDARD } from './names.salesforce.ts';
import { queryPath } from './queries.salesforce.ts';
import { queryResult } from './records.salesforce.ts';

const H = CONVERSATION_OWNERSHIP.fields;
const C = CONTACT.fields;

/** A SOQL DateTime literal (unquoted, whole seconds, UTC). */
const soqlDateTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const iso = (ms: number) => new Date(ms).toISOString();
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

const HistoryKeyRow = z.looseObject({
  [H.conversationId.name]: z.string(),
  [H.whatsAppNumber.name]: optionalText,
  [H.whatsAppUserId.name]: optionalText,
});
const IdRow = z.looseObject({ [STANDARD.id]: z.string() });

/**
 * Future-dated versions on Salesforce: history rows (`Ended_At__c`) and the
 * `Last_Interaction_At__c` of Contacts and Cases later than `limit`, read in
 * one Composite call (at most 200 of each: run again until none is left) and,
 * when applied, set to `cappedAt` in one Composite write.
 */
export async function repairFutureVersions(
  client: SalesforceClient,
  limit: number,
  cappedAt: number,
  apply: boolean,
): Promise<FutureVersions> {
  const after = soqlDateTime(limit);
  const queries = {
    history:
      `SELECT ${H.conversationId.name}, ${H.whatsAppNumber.name}, ${H.whatsAppUserId.name}` +
      ` FROM ${CONVERSATION_OWNERSHIP.object} WHERE ${H.endedAt.name} > ${after} LIMIT ${MAX_COLLECTION_RECORDS}`,
    contacts: `SELECT ${STANDARD.id} FROM ${CONTACT.object} WHERE ${C.lastInteractionAt.name} > ${after} LIMIT ${MAX_COLLECTION_RECORDS}`,
    cases: `SELECT ${STANDARD.id} FROM ${CASE.object} WHERE ${CASE.fields.lastInteractionAt.name} > ${after} LIMIT ${MAX_COLLECTION_RECORDS}`,
  };
  const read = await client.request(
    'repair_read',
    compositeRequest(
      client.dataPath,
      Object.entries(queries).map(([referenceId, soql]) => ({
        method: 'GET' as const,
        url: queryPath(client.dataPath, soql),
        referenceId,
      })),
    ),
    CompositeResponse,
  );
  const rows = <T>(referenceId: string, schema: z.ZodType<T>): T[] =>
    subrequestBody(read, referenceId, queryResult(schema)).records;
  const history = rows('history', HistoryKeyRow);
  const contacts = rows('contacts', IdRow);
  const cases = rows('cases', IdRow);

  const customers = new Map<string, CustomerKey>();
  for (const row of history) {
    const number = row[H.whatsAppNumber.name] as string;
    const userId = row[H.whatsAppUserId.name] as string;
    if (number) customers.set(`phone:${number}`, { kind: 'phone', value: number });
    else if (userId) customers.set(`bsuid:${userId}`, { kind: 'bsuid', value: userId });
  }
  const found = {
    conversations: history.map((row) => row[H.conversationId.name] as string),
    customers: [...customers.values()],
  };
  if (!apply || history.length + contacts.length + cases.length === 0) {
    return { ...found, written: 0 };
  }

  const capped = iso(cappedAt);
  const sobjects = `${client.dataPath}/composite/sobjects`;
  const subrequests = [
    {
      method: 'PATCH' as const,
      url: `${sobjects}/${CONVERSATION_OWNERSHIP.object}/${H.conversationId.name}`,
      referenceId: 'history',
      records: history.map((row) => ({
        attributes: { type: CONVERSATION_OWNERSHIP.object },
        [H.conversationId.name]: row[H.conversationId.name],
        [H.endedAt.name]: capped,
      })),
    },
    {
      method: 'PATCH' as const,
      url: sobjects,
      referenceId: 'contacts',
      records: contacts.map((row) => ({
        attributes: { type: CONTACT.object },
        id: row[STANDARD.id],
        [C.lastInteractionAt.name]: capped,
      })),
    },
    {
      method: 'PATCH' as const,
      url: sobjects,
      referenceId: 'cases',
      records: cases.map((row) => ({
        attributes: { type: CASE.object },
        id: row[STANDARD.id],
        [CASE.fields.lastInteractionAt.name]: capped,
      })),
    },
  ].filter((s) => s.records.length > 0);
  const written = await client.request(
    'repair_write',
    compositeRequest(
      client.dataPath,
      subrequests.map(({ records, ...s }) => ({ ...s, body: { allOrNone: false, records } })),
    ),
    CompositeResponse,
  );
  let ok = 0;
  for (const s of subrequests) {
    const entry = written.compositeResponse.find((e) => e.referenceId === s.referenceId);
    ok += collectionOutcomes(entry, s.records.length).filter((o) => o.ok).length;
  }
  return { ...found, written: ok };
}
