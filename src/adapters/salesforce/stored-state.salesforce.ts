import type { z } from 'zod';
import {
  customerKeyId,
  keyForms,
  maskCustomerKey,
  storedKeys,
  type CustomerKey,
} from '../../domain/customer-key.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Ownership, OwnershipVersion } from '../../domain/ownership.ts';
import type { OwnershipChange } from '../../ports/ownership-store.port.ts';
import { BridgeError } from '../../errors/catalogue.ts';
import type { StoredContact, StoredState } from './commit-plan.salesforce.ts';
import {
  CompositeResponse,
  compositeRequest,
  MAX_QUERY_OR_COLLECTION_SUBREQUESTS,
  subrequestError,
  type CompositeEntry,
} from './composite.salesforce.ts';
import type { SalesforceClient } from './client.salesforce.ts';
import { isCaseId } from './names.salesforce.ts';
import {
  casesByIdQueries,
  contactsByKeysQueries,
  historyByConversationQueries,
  ORPHAN_HISTORY_LIMIT,
  orphanHistoryQueries,
  queryPath,
} from './queries.salesforce.ts';
import {
  caseLastVersion,
  CaseRow,
  contactLastOwnership,
  historyToOwnership,
  HistoryRow,
  queryResult,
  type ContactRow,
  type QueryResult,
} from './records.salesforce.ts';

type Planned = {
  readonly kind: 'contacts' | 'history' | 'orphans' | 'cases';
  readonly soql: string;
};

interface Rows {
  contacts: ContactRow[];
  history: z.output<typeof HistoryRow>[];
  orphans: z.output<typeof HistoryRow>[];
  cases: CaseRow[];
  truncated: boolean;
}

const KINDS = ['phone', 'bsuid'] as const;

/**
 * SOQL compares text case-insensitively, so rows are matched back to changes
 * the same way (the field is case-sensitive unique; Meta's ids are not expected
 * to differ only in case). Numbers are digits.
 */
const matchKey = (kind: CustomerKey['kind'], value: string) =>
  kind === 'bsuid' ? `bsuid:${value.toLowerCase()}` : `phone:${value}`;

function plannedQueries(changes: readonly OwnershipChange[], vipField: string): Planned[] {
  const planned: Planned[] = [];
  for (const kind of KINDS) {
    const values = changes.filter((c) => c.key.kind === kind).map((c) => c.key.value);
    if (values.length === 0) continue;
    for (const soql of contactsByKeysQueries(kind, values, vipField))
      planned.push({ kind: 'contacts', soql });
    for (const soql of orphanHistoryQueries(kind, values)) planned.push({ kind: 'orphans', soql });
  }
  const conversations = changes.map((c) => c.ownership.conversationId);
  for (const soql of historyByConversationQueries(conversations))
    planned.push({ kind: 'history', soql });
  const caseIds = changes.map((c) => c.ownership.caseId).filter(isCaseId);
  if (caseIds.length > 0) {
    for (const soql of casesByIdQueries(caseIds)) planned.push({ kind: 'cases', soql });
  }
  return planned;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new BridgeError(
    'CB_ERR_INTERNAL',
    `Salesforce ${what} result has an unexpected shape at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
  );
}

/** All rows of one query result, following `nextRecordsUrl` when Salesforce paged it. */
async function allRecords<T>(
  client: SalesforceClient,
  schema: z.ZodType<QueryResult<T>>,
  first: QueryResult<T>,
): Promise<T[]> {
  const records = [...first.records];
  let page = first;
  while (!page.done && page.nextRecordsUrl) {
    page = await client.request('query_more', { method: 'GET', url: page.nextRecordsUrl }, schema);
    records.push(...page.records);
  }
  return records;
}

/**
 * Runs the batch's queries as Composite GET subrequests — five per call, which
 * for phone keys means one call — and returns what Salesforce holds.
 */
export async function readStoredState(
  client: SalesforceClient,
  changes: readonly OwnershipChange[],
  contactSchema: z.ZodType<ContactRow>,
  vipField: string,
): Promise<StoredState> {
  const schemas = {
    contacts: queryResult(contactSchema),
    history: queryResult(HistoryRow),
    orphans: queryResult(HistoryRow),
    cases: queryResult(CaseRow),
  };
  const rows: Rows = { contacts: [], history: [], orphans: [], cases: [], truncated: false };
  const planned = plannedQueries(changes, vipField);
  for (let start = 0; start < planned.length; start += MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
    const group = planned.slice(start, start + MAX_QUERY_OR_COLLECTION_SUBREQUESTS);
    const subrequests = group.map((q, i) => ({
      method: 'GET' as const,
      url: queryPath(client.dataPath, q.soql),
      referenceId: `${q.kind}_${start + i}`,
    }));
    const response = await client.request(
      'composite_read',
      compositeRequest(client.dataPath, subrequests),
      CompositeResponse,
    );
    for (const [i, q] of group.entries()) {
      const referenceId = subrequests[i]!.referenceId;
      const entry: CompositeEntry | undefined = response.compositeResponse.find(
        (e) => e.referenceId === referenceId,
      );
      if (!entry)
        throw new BridgeError('CB_ERR_INTERNAL', `composite result ${referenceId} is missing`);
      if (entry.httpStatusCode >= 300) throw subrequestError(entry);
      if (q.kind === 'contacts') {
        const first = parse(schemas.contacts, entry.body, referenceId);
        rows.contacts.push(...(await allRecords(client, schemas.contacts, first)));
      } else if (q.kind === 'cases') {
        const first = parse(schemas.cases, entry.body, referenceId);
        rows.cases.push(...(await allRecords(client, schemas.cases, first)));
      } else {
        const first = parse(schemas[q.kind], entry.body, referenceId);
        const records = await allRecords(client, schemas[q.kind], first);
        if (q.kind === 'orphans' && records.length >= ORPHAN_HISTORY_LIMIT) rows.truncated = true;
        rows[q.kind].push(...records);
      }
    }
  }
  return storedState(changes, rows);
}

function storedState(changes: readonly OwnershipChange[], rows: Rows): StoredState {
  // Contacts and orphan rows are matched back to the batch's own keys.
  // Every form of a key (a number with or without Brazil's ninth digit…) finds it.
  const batchKeys = new Map<string, CustomerKey>();
  for (const { key } of changes) {
    for (const form of keyForms(key)) batchKeys.set(matchKey(key.kind, form), key);
  }
  const keyIdFor = (kind: CustomerKey['kind'], value: string) => {
    const key = value === '' ? undefined : batchKeys.get(matchKey(kind, value));
    return key && customerKeyId(key);
  };

  // Rows come first-created first: with duplicate Contacts the first is the
  // customer's, as in the lookup; the others are counted (and logged).
  const contacts = new Map<string, StoredContact>();
  const duplicateContacts = new Set<string>();
  const cases = new Map<string, OwnershipVersion>();
  const rememberCase = (row: CaseRow) => {
    const version = caseLastVersion(row);
    if (version) cases.set(row.id, version);
  };
  rows.cases.forEach(rememberCase);
  for (const row of rows.contacts) {
    const openCase = row.openCases[0];
    if (openCase) rememberCase(openCase);
    const stored: StoredContact = {
      id: row.id,
      vip: row.vip,
      openCase: openCase ? { id: openCase.id, number: openCase.caseNumber } : null,
      last: contactLastOwnership(row),
      history: row.history.map(historyToOwnership),
      keys: storedKeys(row.whatsAppNumber, row.whatsAppUserId),
    };
    for (const [kind, value] of [
      ['phone', row.whatsAppNumber],
      ['bsuid', row.whatsAppUserId],
    ] as const) {
      const keyId = keyIdFor(kind, value);
      if (!keyId) continue;
      if (contacts.has(keyId) && contacts.get(keyId)!.id !== row.id) duplicateContacts.add(keyId);
      else contacts.set(keyId, stored);
    }
  }

  const historyEndedAt = new Map<string, number>();
  const historyKeys = new Map<string, { phone: string; bsuid: string }>();
  for (const row of rows.history) {
    historyKeys.set(row.conversationId, { phone: row.whatsAppNumber, bsuid: row.whatsAppUserId });
    const endedAt = row.endedAt ?? 0;
    historyEndedAt.set(
      row.conversationId,
      Math.max(endedAt, historyEndedAt.get(row.conversationId) ?? 0),
    );
  }

  const orphanHistory = new Map<string, Ownership[]>();
  for (const row of rows.orphans) {
    const keyId = keyIdFor('phone', row.whatsAppNumber) ?? keyIdFor('bsuid', row.whatsAppUserId);
    if (!keyId) continue;
    orphanHistory.set(keyId, [...(orphanHistory.get(keyId) ?? []), historyToOwnership(row)]);
  }
  return {
    contacts,
    historyEndedAt,
    orphanHistory,
    orphansTruncated: rows.truncated,
    duplicateContacts: [...duplicateContacts],
    historyKeys,
    cases,
  };
}

/** Duplicate Contacts never block a commit, but an admin should merge them (the key is unique in force-app). */
export function warnDuplicateContacts(
  logger: Logger,
  changes: readonly OwnershipChange[],
  duplicates: readonly string[] | undefined,
): void {
  if (!duplicates || duplicates.length === 0) return;
  const customers = duplicates.map((id) => {
    const key = changes.find((c) => customerKeyId(c.key) === id)?.key;
    return key ? maskCustomerKey(key) : '***';
  });
  logger.warn(
    { customers },
    'several Contacts hold one customer key: the first created is used (make the key field unique)',
  );
}
