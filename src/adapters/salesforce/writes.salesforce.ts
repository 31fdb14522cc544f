import {
  CASE,
  CONTACT,
  CONVERSATION_OWNERSHIP,
  type SalesforceFieldSpec,
} from './fields.salesforce.ts';
import type { CustomerKey } from '../../domain/customer-key.ts';
import type { Ownership } from '../../domain/ownership.ts';
import type {
  CommitPlan,
  HistoryLink,
  HistoryWrite,
  OwnerWrite,
  WriteRef,
} from './commit-plan.salesforce.ts';
import type { Subrequest } from './composite.salesforce.ts';
import {
  contactKeyField,
  historyKeyField,
  relationshipName,
  STANDARD,
} from './names.salesforce.ts';

const H = CONVERSATION_OWNERSHIP.fields;

type SObjectRecord = Record<string, unknown> & { attributes: { type: string } };

/** Text cut to the field's length, so a long agent or queue name never fails a record. */
function fit(spec: SalesforceFieldSpec, value: string): string {
  return spec.length !== undefined && value.length > spec.length
    ? value.slice(0, spec.length)
    : value;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Attributes as a JSON object; empty text when there are none (an empty field reads clearly). */
function contextText(spec: SalesforceFieldSpec, ownership: Ownership): string {
  if (Object.keys(ownership.attributes).length === 0) return '';
  const json = JSON.stringify(ownership.attributes);
  // 20 values of 255 characters fit the field; never write JSON cut in half.
  return spec.length !== undefined && json.length > spec.length ? '' : json;
}

/** The `Last_*` set, identical on Contact and Case (DESIGN §5). */
function lastOwnerFields(
  fields: typeof CONTACT.fields | typeof CASE.fields,
  ownership: Ownership,
): Record<string, string | boolean> {
  return {
    [fields.lastAgentId.name]: fit(fields.lastAgentId, ownership.agentId),
    [fields.lastAgentName.name]: fit(fields.lastAgentName, ownership.agentName),
    [fields.lastQueueId.name]: fit(fields.lastQueueId, ownership.queueId),
    [fields.lastQueueName.name]: fit(fields.lastQueueName, ownership.queueName),
    [fields.lastConversationId.name]: fit(fields.lastConversationId, ownership.conversationId),
    // The wrap-up code id, as on the history row's Wrapup_Code__c.
    [fields.lastWrapupCode.name]: fit(fields.lastWrapupCode, ownership.wrapupCode),
    [fields.lastWrapupName.name]: fit(fields.lastWrapupName, ownership.wrapupName),
    [fields.lastInteractionAt.name]: iso(ownership.endedAt),
    // Written even when empty: the last conversation's notes replace the previous ones.
    [fields.lastNotes.name]: fit(fields.lastNotes, ownership.notes),
    [fields.lastUnresolved.name]: ownership.unresolved,
    [fields.lastChannel.name]: fit(fields.lastChannel, ownership.channel),
    [fields.lastContext.name]: contextText(fields.lastContext, ownership),
  };
}

/**
 * One history row for an upsert by `Conversation_Id__c`. Lookups that are
 * unknown are left out (not nulled), so a replay never unlinks a row. A Contact
 * created in the same call is linked by its external id (`Contact__r`).
 */
export function historyRecord(write: HistoryWrite): SObjectRecord {
  const { ownership } = write;
  const record: SObjectRecord = {
    attributes: { type: CONVERSATION_OWNERSHIP.object },
    [H.conversationId.name]: ownership.conversationId,
    [historyKeyField(write.key.kind)]: write.key.value,
    [H.agentId.name]: fit(H.agentId, ownership.agentId),
    [H.agentName.name]: fit(H.agentName, ownership.agentName),
    [H.queueId.name]: fit(H.queueId, ownership.queueId),
    [H.queueName.name]: fit(H.queueName, ownership.queueName),
    [H.wrapupCode.name]: fit(H.wrapupCode, ownership.wrapupCode),
    [H.wrapupName.name]: fit(H.wrapupName, ownership.wrapupName),
    [H.startedAt.name]: iso(ownership.startedAt),
    [H.endedAt.name]: iso(ownership.endedAt),
    [H.transferCount.name]: ownership.transferCount,
    [H.source.name]: ownership.source,
    [H.notes.name]: fit(H.notes, ownership.notes),
    [H.unresolved.name]: ownership.unresolved,
    [H.channel.name]: fit(H.channel, ownership.channel),
    [H.context.name]: contextText(H.context, ownership),
  };
  if (write.contactId) record[H.contact.name] = write.contactId;
  else if (write.contactKey) {
    record[relationshipName(H.contact.name)] = {
      attributes: { type: CONTACT.object },
      [contactKeyField(write.contactKey.kind)]: write.contactKey.value,
    };
  }
  if (write.caseId) record[H.case.name] = write.caseId;
  return record;
}

/** Links a Contact-less history row to its customer's Contact (upsert by conversation id). */
export function historyLinkRecord(link: HistoryLink): SObjectRecord {
  return {
    attributes: { type: CONVERSATION_OWNERSHIP.object },
    [H.conversationId.name]: link.conversationId,
    [H.contact.name]: link.contactId,
  };
}

/** `WhatsApp +5511…` for a number, `WhatsApp BR.…` for a BSUID (LastName is required). */
export function contactLastName(key: CustomerKey): string {
  return key.kind === 'phone' ? `WhatsApp +${key.value}` : `WhatsApp ${key.value}`;
}

export function contactCreateRecord(key: CustomerKey, ownership: Ownership): SObjectRecord {
  return {
    attributes: { type: CONTACT.object },
    [contactKeyField(key.kind)]: key.value,
    [STANDARD.lastName]: contactLastName(key),
    ...lastOwnerFields(CONTACT.fields, ownership),
  };
}

function updateRecord(
  type: string,
  fields: typeof CONTACT.fields | typeof CASE.fields,
  write: OwnerWrite,
) {
  // Collections update takes the record id as `id` (jsforce sends the same).
  return { attributes: { type }, id: write.id, ...lastOwnerFields(fields, write.ownership) };
}

const collection = (records: readonly SObjectRecord[]) => ({ allOrNone: false, records });

/** A write subrequest and the plan entries its records stand for, in order. */
export interface PlannedSubrequest {
  readonly subrequest: Subrequest;
  readonly refs: readonly WriteRef[];
}

/**
 * The write subrequests of one plan, in dependency order: new Contacts first
 * (history rows link to them by external id), then history, then Contact and
 * Case updates. Each is one sObject Collections request of at most 200
 * de-duplicated records; a batch of at most 200 changes therefore needs at
 * most five, the Composite limit for collections.
 */
export function writeSubrequests(plan: CommitPlan, dataPath: string): PlannedSubrequest[] {
  const out: PlannedSubrequest[] = [];
  const sobjects = `${dataPath}/composite/sobjects`;
  for (const kind of ['phone', 'bsuid'] as const) {
    const creates = plan.contactCreates
      .map((create, index) => ({ create, index }))
      .filter(({ create }) => create.key.kind === kind);
    if (creates.length === 0) continue;
    out.push({
      subrequest: {
        method: 'PATCH',
        url: `${sobjects}/${CONTACT.object}/${contactKeyField(kind)}`,
        referenceId: `newContacts_${kind}`,
        body: collection(
          creates.map(({ create }) => contactCreateRecord(create.key, create.ownership)),
        ),
      },
      refs: creates.map(({ index }) => ({ kind: 'contactCreate', index })),
    });
  }
  if (plan.history.length + plan.historyLinks.length > 0) {
    out.push({
      subrequest: {
        method: 'PATCH',
        url: `${sobjects}/${CONVERSATION_OWNERSHIP.object}/${H.conversationId.name}`,
        referenceId: 'history',
        body: collection([
          ...plan.history.map(historyRecord),
          ...plan.historyLinks.map(historyLinkRecord),
        ]),
      },
      refs: [
        ...plan.history.map((_, index): WriteRef => ({ kind: 'history', index })),
        ...plan.historyLinks.map((_, index): WriteRef => ({ kind: 'historyLink', index })),
      ],
    });
  }
  const updates = [
    ['contacts', CONTACT, plan.contactUpdates, 'contactUpdate'],
    ['cases', CASE, plan.caseUpdates, 'caseUpdate'],
  ] as const;
  for (const [referenceId, sobject, writes, kind] of updates) {
    if (writes.length === 0) continue;
    out.push({
      subrequest: {
        method: 'PATCH',
        url: sobjects,
        referenceId,
        body: collection(
          writes.map((write) => updateRecord(sobject.object, sobject.fields, write)),
        ),
      },
      refs: writes.map((_, index) => ({ kind, index })),
    });
  }
  return out;
}
