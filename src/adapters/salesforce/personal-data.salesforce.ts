import { z } from 'zod';
import type { CustomerKey } from '../../domain/customer-key.ts';
import { BridgeError } from '../../errors/catalogue.ts';
import type { Logger } from '../../observability/logger.ts';
import type {
  DataSubject,
  ErasureCounts,
  ErasureOptions,
  PersonalDataStore,
  StoreHoldings,
} from '../../privacy/personal-data.port.ts';
import type { SalesforceClient } from './client.salesforce.ts';
import {
  collectionOutcomes,
  CompositeResponse,
  compositeRequest,
  MAX_COLLECTION_RECORDS,
  MAX_QUERY_OR_COLLECTION_SUBREQUESTS,
  subrequestBody,
  type Subrequest,
} from './composite.salesforce.ts';
import { CASE, CONTACT, CONVERSATION_OWNERSHIP } from './fields.salesforce.ts';
import { hardDelete, type HardDeleteOptions } from './hard-delete.salesforce.ts';
import { STANDARD } from './names.salesforce.ts';
import {
  BRIDGE_FIELDS,
  casesByIdQueries,
  conversationIdQueries,
  expiredHistoryQuery,
  formsOf,
  staleOwnerQuery,
  subjectContactQueries,
  subjectHistoryQueries,
  UNRESOLVED_FIELD,
} from './personal-data-queries.salesforce.ts';
import { queryPath } from './queries.salesforce.ts';
import { queryResult, type QueryResult } from './records.salesforce.ts';
import { hasControlCharacter } from './soql.salesforce.ts';

export interface SalesforcePersonalDataDeps {
  readonly client: SalesforceClient;
  readonly logger: Logger;
  /** Between two state checks of a hard-delete job. @defaultValue 2000 */
  readonly pollIntervalMs?: number;
  /** How long to wait for a hard-delete job. @defaultValue 300000 */
  readonly pollTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Most history rows, and most Contacts and Cases, one retention pass
   * handles; a backlog (the first pass in an old org) drains over the next
   * passes, so memory and API calls stay bounded. @defaultValue 50000
   */
  readonly maxRowsPerPass?: number;
}

type Row = Record<string, unknown>;
const H = CONVERSATION_OWNERSHIP.fields;

/** A row as Salesforce returns it; `attributes` (type and URL) is dropped from exports. */
const RawRow = z.looseObject({ Id: z.string().min(1) });
const RawQuery = queryResult(RawRow);
const IdOnly = queryResult(z.looseObject({ [H.conversationId.name]: z.string().nullish() }));

const plain = (row: Row): Row => {
  const { attributes: _attributes, ...rest } = row;
  return rest;
};
/** True when the bridge left anything on a Contact or Case (a false checkbox is empty). */
const holdsBridgeData = (row: Row) =>
  BRIDGE_FIELDS.some(
    (name) => row[name] !== null && row[name] !== undefined && row[name] !== false,
  );
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** What Salesforce holds on one subject. */
interface Holdings {
  readonly contacts: Row[];
  readonly cases: Row[];
  readonly history: Row[];
}

interface Query {
  readonly referenceId: string;
  readonly soql: string;
}

/**
 * The customer's personal data in Salesforce (docs/privacy.md, docs/salesforce-admin.md
 * "Erasure and retention"), behind the privacy port:
 * - the `Conversation_Ownership__c` rows of every form of the keys, linked to
 *   a Contact or not: exported, then hard-deleted (Bulk API 2.0 `hardDelete`,
 *   hard-delete.salesforce.ts), so none waits 15 days in the recycle bin;
 * - the bridge's `Last_*` fields on the matching Contacts, on their Cases, and
 *   on Cases the rows name whose last conversation is the subject's: exported,
 *   then cleared (null; the unresolved checkbox false).
 * The Contact itself and its WhatsApp keys are the CRM's identity of the
 * customer: exported, never deleted or cleared here (the integration user
 * cannot even edit the keys); the CRM's own erasure process removes the
 * Contact. API budget of an erasure: one Composite read (more only for many
 * keys, paged results or Cases named only by rows), one Composite write of
 * sObject Collections, one hard-delete job create and its state checks.
 */
export class SalesforcePersonalData implements PersonalDataStore {
  readonly name = 'salesforce';
  readonly #client: SalesforceClient;
  readonly #logger: Logger;
  readonly #hardDelete: HardDeleteOptions;
  readonly #maxRowsPerPass: number;

  constructor(deps: SalesforcePersonalDataDeps) {
    this.#client = deps.client;
    this.#logger = deps.logger.child({ component: 'salesforce-privacy' });
    this.#maxRowsPerPass = deps.maxRowsPerPass ?? 50_000;
    this.#hardDelete = {
      pollIntervalMs: deps.pollIntervalMs ?? 2000,
      pollTimeoutMs: deps.pollTimeoutMs ?? 300_000,
      sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
  }

  async exportSubject(subject: DataSubject): Promise<StoreHoldings> {
    const held = await this.#read(subject);
    return {
      store: this.name,
      items: {
        contacts: held.contacts.map(plain),
        cases: held.cases.map(plain),
        conversationOwnerships: held.history.map(plain),
      },
    };
  }

  async conversationsOf(keys: readonly CustomerKey[]): Promise<string[]> {
    const queries = this.#keyQueries(keys, conversationIdQueries, 'conversations');
    const ids = new Set<string>();
    for (const [, rows] of await this.#query(queries, IdOnly)) {
      for (const row of rows) {
        const id = text(row[H.conversationId.name]);
        if (id !== '') ids.add(id);
      }
    }
    return [...ids];
  }

  async eraseSubject(subject: DataSubject, options: ErasureOptions): Promise<ErasureCounts> {
    const held = await this.#read(subject);
    const contacts = held.contacts.filter(holdsBridgeData);
    const counts = {
      historyRows: held.history.length,
      contactsCleared: contacts.length,
      casesCleared: held.cases.length,
    };
    if (options.dryRun) return counts;
    await this.#clear([
      ...contacts.map((row) => ({ object: CONTACT.object, id: row.Id as string })),
      ...held.cases.map((row) => ({ object: CASE.object, id: row.Id as string })),
    ]);
    await this.#delete(held.history.map((row) => row.Id as string));
    this.#logger.info(counts, 'salesforce personal data erased');
    return counts;
  }

  async purgeOlderThan(cutoff: number, options: ErasureOptions): Promise<ErasureCounts> {
    const results = await this.#query(
      [
        { referenceId: 'history', soql: expiredHistoryQuery(cutoff) },
        { referenceId: 'contacts', soql: staleOwnerQuery(CONTACT.object, cutoff) },
        { referenceId: 'cases', soql: staleOwnerQuery(CASE.object, cutoff) },
      ],
      RawQuery,
      options.dryRun ? 0 : this.#maxRowsPerPass,
    );
    const [history, contacts, cases] = results.map(([, rows]) => rows);
    // A dry run reads only the first pages: `totalSize` counts every match.
    if (options.dryRun) {
      const [historyRows = 0, contactsCleared = 0, casesCleared = 0] = results.map(
        ([, , total]) => total,
      );
      return { historyRows, contactsCleared, casesCleared };
    }
    const counts = {
      historyRows: history?.length ?? 0,
      contactsCleared: contacts?.length ?? 0,
      casesCleared: cases?.length ?? 0,
    };
    await this.#clear([
      ...(contacts ?? []).map((row) => ({ object: CONTACT.object, id: row.Id as string })),
      ...(cases ?? []).map((row) => ({ object: CASE.object, id: row.Id as string })),
    ]);
    await this.#delete((history ?? []).map((row) => row.Id as string));
    const left = results.reduce((sum, [, rows, total]) => sum + total - rows.length, 0);
    this.#logger.info(
      { ...counts, left, cutoff: new Date(cutoff).toISOString() },
      left > 0 ? 'retention pass capped; the next pass continues' : 'retention pass',
    );
    return counts;
  }

  /** Contacts, Cases and history rows of the subject, read in as few calls as possible. */
  async #read(subject: DataSubject): Promise<Holdings> {
    const contactQueries = this.#keyQueries(subject.keys, subjectContactQueries, 'contacts');
    const historyQueries = this.#keyQueries(subject.keys, subjectHistoryQueries, 'history');
    const results = await this.#query([...contactQueries, ...historyQueries], RawQuery);
    const byId = (rows: Row[]) => [...new Map(rows.map((r) => [r.Id as string, r])).values()];
    const pick = (prefix: string) =>
      byId(results.filter(([ref]) => ref.startsWith(prefix)).flatMap(([, rows]) => rows));
    const contacts = pick('contacts');
    const history = pick('history');
    const contactCases = contacts.flatMap((contact) => {
      const cases = RawQuery.nullish().safeParse(contact[STANDARD.contactCases]);
      return cases.success ? (cases.data?.records ?? []) : [];
    });
    const known = new Set(contactCases.map((c) => c.Id));
    // Cases the rows name outside the Contact's: theirs only while their last
    // conversation is one of the subject's.
    const conversations = new Set([
      ...subject.conversationIds,
      ...history.map((row) => text(row[H.conversationId.name])),
    ]);
    const named = [...new Set(history.map((row) => text(row[H.case.name])))].filter(
      (id) => id !== '' && !known.has(id),
    );
    const namedCases =
      named.length === 0
        ? []
        : (
            await this.#query(
              casesByIdQueries(named).map((soql, i) => ({ referenceId: `cases_${i}`, soql })),
              RawQuery,
            )
          )
            .flatMap(([, rows]) => rows)
            .filter((row) => conversations.has(text(row[CASE.fields.lastConversationId.name])));
    return {
      contacts: contacts.map((contact) => {
        const { [STANDARD.contactCases]: _cases, ...rest } = contact;
        return rest;
      }),
      cases: byId([...contactCases, ...namedCases]).filter(holdsBridgeData),
      history,
    };
  }

  #keyQueries(
    keys: readonly CustomerKey[],
    build: (kind: CustomerKey['kind'], forms: readonly string[]) => string[],
    prefix: string,
  ): Query[] {
    if (keys.some((key) => hasControlCharacter(key.value)))
      throw new BridgeError('CB_ERR_VALIDATION', 'customer key contains a control character');
    return (['phone', 'bsuid'] as const).flatMap((kind) => {
      const forms = formsOf(keys, kind);
      return forms.length === 0
        ? []
        : build(kind, forms).map((soql, i) => ({ referenceId: `${prefix}_${kind}_${i}`, soql }));
    });
  }

  /**
   * Queries as Composite GET subrequests, five per call, each followed through
   * its `nextRecordsUrl` pages until `maxRows` rows; results in order, by
   * reference id, with the query's `totalSize`.
   */
  async #query<T>(
    queries: readonly Query[],
    schema: z.ZodType<QueryResult<T>>,
    maxRows = Number.POSITIVE_INFINITY,
  ): Promise<Array<[string, T[], number]>> {
    const client = this.#client;
    const out: Array<[string, T[], number]> = [];
    for (let at = 0; at < queries.length; at += MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
      const group = queries.slice(at, at + MAX_QUERY_OR_COLLECTION_SUBREQUESTS);
      const response = await client.request(
        'privacy_read',
        compositeRequest(
          client.dataPath,
          group.map((q) => ({
            method: 'GET' as const,
            url: queryPath(client.dataPath, q.soql),
            referenceId: q.referenceId,
          })),
        ),
        CompositeResponse,
      );
      for (const q of group) {
        let page = subrequestBody(response, q.referenceId, schema);
        const total = page.totalSize;
        const records = [...page.records];
        while (!page.done && page.nextRecordsUrl && records.length < maxRows) {
          page = await client.request(
            'query_more',
            { method: 'GET', url: page.nextRecordsUrl },
            schema,
          );
          records.push(...page.records);
        }
        out.push([q.referenceId, records.slice(0, maxRows), total]);
      }
    }
    return out;
  }

  /**
   * Clears the bridge's fields: sObject Collections updates of at most 200
   * records, at most five per Composite call. Throws when any record failed,
   * after trying every one (an erasure run again retries only what is left).
   */
  async #clear(records: ReadonlyArray<{ object: string; id: string }>): Promise<void> {
    const client = this.#client;
    const cleared = Object.fromEntries(
      BRIDGE_FIELDS.map((name) => [name, name === UNRESOLVED_FIELD ? false : null]),
    );
    const chunks: Subrequest[] = [];
    for (let at = 0; at < records.length; at += MAX_COLLECTION_RECORDS) {
      const chunk = records.slice(at, at + MAX_COLLECTION_RECORDS);
      chunks.push({
        method: 'PATCH',
        url: `${client.dataPath}/composite/sobjects`,
        referenceId: `clear_${chunks.length}`,
        body: {
          allOrNone: false,
          records: chunk.map((r) => ({ attributes: { type: r.object }, id: r.id, ...cleared })),
        },
      });
    }
    let failures = 0;
    let first = '';
    for (let at = 0; at < chunks.length; at += MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
      const group = chunks.slice(at, at + MAX_QUERY_OR_COLLECTION_SUBREQUESTS);
      const response = await client.request(
        'privacy_clear',
        compositeRequest(client.dataPath, group),
        CompositeResponse,
      );
      for (const sub of group) {
        const entry = response.compositeResponse.find((e) => e.referenceId === sub.referenceId);
        const count = (sub.body as { records: unknown[] }).records.length;
        for (const outcome of collectionOutcomes(entry, count)) {
          if (outcome.ok) continue;
          failures += 1;
          first ||= `${outcome.failure.code}: ${outcome.failure.message}`;
        }
      }
    }
    if (failures > 0)
      throw new BridgeError(
        'CB_ERR_CRM_REJECTED',
        `Salesforce refused to clear ${failures} Contact/Case record(s) (${first})`,
      );
  }

  async #delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const result = await hardDelete(
      this.#client,
      CONVERSATION_OWNERSHIP.object,
      ids,
      this.#hardDelete,
    );
    if (result.failed > 0)
      throw new BridgeError(
        'CB_ERR_CRM_REJECTED',
        `Salesforce could not hard-delete ${result.failed} history row(s); see Bulk Data Load Jobs ${result.failedJobs.join(', ')}`,
      );
  }
}
