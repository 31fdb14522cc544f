import { maskCustomerKey, type CustomerKey } from '../../domain/customer-key.ts';
import { recordUnderKey, type CustomerRecord } from '../../domain/ownership.ts';
import { BridgeError } from '../../errors/catalogue.ts';
import type { Logger } from '../../observability/logger.ts';
import type { PersonalDataStore } from '../../privacy/personal-data.port.ts';
import type { CallRecorder } from '../../observability/metrics.ts';
import {
  unlimitedBudget,
  type ApiBudget,
  type CommitResult,
  type OwnershipChange,
  type OwnershipStore,
} from '../../ports/ownership-store.port.ts';
import {
  planCommit,
  type CommitPlan,
  type UnknownCustomerMode,
  type WriteRef,
} from './commit-plan.salesforce.ts';
import {
  collectionOutcomes,
  CompositeResponse,
  compositeRequest,
  MAX_COLLECTION_RECORDS,
  subrequestBody,
  type RecordOutcome,
} from './composite.salesforce.ts';
import type { SalesforceClient } from './client.salesforce.ts';
import { failedResult as failed, isBusyRecord, requestFailure } from './errors.salesforce.ts';
import { contactByKeyQuery, historyByKeyQuery, queryPath } from './queries.salesforce.ts';
import { readStoredState, warnDuplicateContacts } from './stored-state.salesforce.ts';
import {
  buildCustomerRecord,
  contactParts,
  contactRow,
  historyToOwnership,
  HistoryRow,
  queryResult,
} from './records.salesforce.ts';
import { writeSubrequests } from './writes.salesforce.ts';
import { repairFutureVersions } from './version-repair.salesforce.ts';
import type { FutureVersions, VersionRepair } from '../../ports/version-repair.port.ts';
import { hasControlCharacter } from './soql.salesforce.ts';
import { SalesforcePersonalData } from './personal-data.salesforce.ts';
import { readLimits, type ApiReserve } from './api-reserve.salesforce.ts';

export interface SalesforceStoreDeps {
  readonly client: SalesforceClient;
  readonly vipField: string;
  readonly unknownCustomer: UnknownCustomerMode;
  readonly recorder: CallRecorder;
  readonly logger: Logger;
  /** The daily allocation and its reserve; the client reports every answer's usage to it. */
  readonly reserve?: ApiReserve;
}

const UNSAFE_VALUE = 'customer key or conversation id contains a control character';

/**
 * Salesforce as the system of record (DESIGN §5), behind the OwnershipStore port.
 *
 * API budget: a lookup costs one Composite call (two queries). A commit
 * batch of up to 200 changes costs two calls: one Composite read and one
 * Composite write of sObject Collections (see `commit`).
 */
export class SalesforceOwnershipStore implements OwnershipStore, VersionRepair {
  readonly kind = 'salesforce' as const;
  readonly #deps: SalesforceStoreDeps;
  readonly #contactRow: ReturnType<typeof contactRow>;
  readonly #logger: Logger;

  get budget(): ApiBudget {
    return this.#deps.reserve ?? unlimitedBudget;
  }

  constructor(deps: SalesforceStoreDeps) {
    this.#deps = deps;
    this.#contactRow = contactRow(deps.vipField);
    this.#logger = deps.logger.child({ component: 'salesforce-store' });
  }

  /**
   * Export, erasure and retention in Salesforce (docs/privacy.md), on this
   * store's session: their calls count toward the API reserve like the rest.
   * Hard deletes need the `Continuity_Bridge_Privacy` permission set.
   */
  personalData(): PersonalDataStore {
    return new SalesforcePersonalData({ client: this.#deps.client, logger: this.#deps.logger });
  }

  /**
   * One Composite call with two queries: the Contact (any form of the key, the
   * first created when there are duplicates) with its open Case and linked
   * history, and the key's history rows not linked to any Contact (the whole
   * history of a customer without a Contact, or rows written before the
   * Contact existed; they count until a commit links them).
   */
  async findCustomer(key: CustomerKey, signal?: AbortSignal): Promise<CustomerRecord | null> {
    const { client, vipField } = this.#deps;
    const queries = [
      { referenceId: 'contacts_0', soql: contactByKeyQuery(key, vipField) },
      { referenceId: 'orphans_0', soql: historyByKeyQuery(key) },
    ];
    const response = await client.request(
      'find_customer',
      compositeRequest(
        client.dataPath,
        queries.map((q) => ({
          method: 'GET' as const,
          url: queryPath(client.dataPath, q.soql),
          referenceId: q.referenceId,
        })),
      ),
      CompositeResponse,
      signal,
    );
    const [contacts, orphans] = [
      subrequestBody(response, 'contacts_0', queryResult(this.#contactRow)),
      subrequestBody(response, 'orphans_0', queryResult(HistoryRow)),
    ];
    const contact = contacts.records[0];
    const contactless = orphans.records.map(historyToOwnership);
    if (contact) {
      const parts = contactParts(key, contact);
      return buildCustomerRecord({ ...parts, ownerships: [...parts.ownerships, ...contactless] });
    }
    if (contactless.length === 0) return null;
    return buildCustomerRecord({
      key,
      contactId: '',
      vip: false,
      openCase: null,
      ownerships: contactless,
    });
  }

  /**
   * Batches of up to 200 changes, each in two API calls:
   * 1. one Composite read (queries for the batch's Contacts with their open
   *    Case and recent history, existing history rows by conversation id, and
   *    history rows of customers without a Contact);
   * 2. the pure decision (`planCommit`);
   * 3. one Composite write of sObject Collections (history upsert by
   *    `Conversation_Id__c`, Contact and Case updates by Id, Contact upserts by
   *    external id in create_contact mode).
   * A batch with nothing to write costs only the read. Extra calls happen only
   * when the keys are too long for five query URLs (many BSUIDs) or a query
   * result is paged. Results map back to each change, record by record.
   */
  async commit(changes: readonly OwnershipChange[]): Promise<CommitResult[]> {
    // A value no query can carry fails alone instead of failing its batch.
    const results: Array<CommitResult | undefined> = changes.map((c) =>
      hasControlCharacter(c.key.value) || hasControlCharacter(c.ownership.conversationId)
        ? failed(requestFailure(new BridgeError('CB_ERR_VALIDATION', UNSAFE_VALUE)))
        : undefined,
    );
    const pending = changes.flatMap((change, index) => (results[index] ? [] : [{ change, index }]));
    for (let start = 0; start < pending.length; start += MAX_COLLECTION_RECORDS) {
      const batch = pending.slice(start, start + MAX_COLLECTION_RECORDS);
      const batchResults = await this.#commitBatch(batch.map((p) => p.change));
      batch.forEach(({ index }, i) => (results[index] = batchResults[i]));
    }
    return results.map((r) => r!);
  }

  repairFutureVersions(limit: number, cappedAt: number, apply: boolean): Promise<FutureVersions> {
    return repairFutureVersions(this.#deps.client, limit, cappedAt, apply);
  }

  /**
   * `GET …/limits`: one cheap call that proves Salesforce answers and refreshes
   * the daily allocation (the worker's outage probe, readiness, doctor).
   */
  async ping(): Promise<void> {
    const { client, recorder, reserve } = this.#deps;
    await readLimits(client, recorder, reserve);
  }

  async close(): Promise<void> {
    this.#deps.client.close();
  }

  async #commitBatch(changes: readonly OwnershipChange[]): Promise<CommitResult[]> {
    if (changes.length === 0) return [];
    const { client, vipField, unknownCustomer } = this.#deps;
    let plan: CommitPlan;
    try {
      const state = await readStoredState(client, changes, this.#contactRow, vipField);
      if (state.orphansTruncated && changes.length > 1) {
        // Some customer's newest history row may be past the limit: read again
        // in halves (newest rows come first, so one customer alone is exact).
        const half = Math.ceil(changes.length / 2);
        return [
          ...(await this.#commitBatch(changes.slice(0, half))),
          ...(await this.#commitBatch(changes.slice(half))),
        ];
      }
      warnDuplicateContacts(this.#logger, changes, state.duplicateContacts);
      plan = planCommit(changes, state, unknownCustomer);
    } catch (error) {
      return this.#failAll(changes, 'read', error);
    }
    const planned = writeSubrequests(plan, client.dataPath);
    const outcomes = new Map<string, RecordOutcome>();
    if (planned.length > 0) {
      try {
        const response = await client.request(
          'composite_write',
          compositeRequest(
            client.dataPath,
            planned.map((p) => p.subrequest),
          ),
          CompositeResponse,
        );
        for (const { subrequest, refs } of planned) {
          const entry = response.compositeResponse.find(
            (e) => e.referenceId === subrequest.referenceId,
          );
          collectionOutcomes(entry, refs.length).forEach((outcome, i) =>
            outcomes.set(refKey(refs[i]!), outcome),
          );
        }
      } catch (error) {
        return this.#failAll(changes, 'write', error);
      }
    }
    return this.#results(changes, plan, outcomes);
  }

  #results(
    changes: readonly OwnershipChange[],
    plan: CommitPlan,
    outcomes: ReadonlyMap<string, RecordOutcome>,
  ): CommitResult[] {
    const ok = (ref: WriteRef) => outcomes.get(refKey(ref))?.ok === true;
    const records = new Map<string, CustomerRecord>();
    const recordOf = (slotId: string, key: CustomerKey): CustomerRecord => {
      const slot = plan.slots.get(slotId)!;
      let record = records.get(slotId);
      if (!record) {
        const created =
          slot.create === null
            ? undefined
            : outcomes.get(refKey({ kind: 'contactCreate', index: slot.create }));
        const written = slot.written.filter((w) => ok({ kind: 'history', index: w.history }));
        const contactId = slot.contact?.id ?? (created?.ok ? created.id : '');
        record = buildCustomerRecord({
          key: slot.key,
          contactId,
          vip: slot.contact?.vip ?? false,
          openCase: slot.contact?.openCase ?? null,
          ownerships: [...written.map((w) => w.ownership), ...slot.stored],
          contactKeys: slot.contact?.keys ?? [],
        });
        records.set(slotId, record);
      }
      return recordUnderKey(record, key);
    };
    return plan.changes.map((planned, index) => {
      if (planned.status === 'conflict') {
        const { conversationId } = changes[index]!.ownership;
        this.#logger.warn(
          { customer: maskCustomerKey(changes[index]!.key), conversationId },
          'a conversation recorded for another customer names this one: kept with the first',
        );
        return {
          status: 'failed',
          code: 'CONVERSATION_NAMES_ANOTHER_CUSTOMER',
          message: `conversation ${conversationId} is recorded for another customer; it stays with the first`,
          retryable: false,
        };
      }
      const failures = planned.writes
        .map((ref) => outcomes.get(refKey(ref)))
        .flatMap((outcome) => (outcome && !outcome.ok ? [outcome.failure] : []));
      const first = failures[0];
      if (first) {
        const change = changes[index]!;
        this.#logger.warn(
          {
            customer: maskCustomerKey(change.key),
            conversationId: change.ownership.conversationId,
            salesforceCodes: failures.map((f) => f.salesforceCode),
          },
          'salesforce rejected a record of this change',
        );
        return failed(
          {
            ...first,
            retryable: failures.every((f) => f.retryable),
            unavailable: failures.every((f) => f.unavailable),
          },
          failures.every((f) => isBusyRecord(f.salesforceCode)),
        );
      }
      return { status: planned.status, record: recordOf(planned.slot, changes[index]!.key) };
    });
  }

  #failAll(changes: readonly OwnershipChange[], phase: string, error: unknown): CommitResult[] {
    const failure = requestFailure(error);
    this.#logger.warn(
      { phase, changes: changes.length, salesforceCode: failure.salesforceCode, err: error },
      'salesforce commit batch failed',
    );
    return changes.map(() => failed(failure));
  }
}

const refKey = (ref: WriteRef) => `${ref.kind}:${ref.index}`;
