import {
  CONTACT,
  CONVERSATION_OWNERSHIP,
} from '../../src/adapters/salesforce/fields.salesforce.ts';
import type { Ownership } from '../../src/domain/ownership.ts';
import { CONTACT_ID, DATA_PATH } from './salesforce-nock.ts';

/**
 * Query results shaped as reference §2.4 documents them:
 * `{totalSize, done, records:[{attributes:{type,url}, …}]}`; a child
 * relationship subquery is the same shape nested in the row, or `null` when it
 * has no rows. Date-times come back as `2026-11-25T11:00:00.000+0000`.
 */

const H = CONVERSATION_OWNERSHIP.fields;
const C = CONTACT.fields;

export const sfDateTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export function queryBody(records: unknown[]) {
  return { totalSize: records.length, done: true, records };
}

const attributes = (type: string, id: string) => ({
  type,
  url: `${DATA_PATH}/sobjects/${type}/${id}`,
});

export function historyRecord(
  o: Ownership,
  opts: { number?: string | null; bsuid?: string | null; id?: string } = {},
): Record<string, unknown> {
  const id = opts.id ?? 'a01xx000000AbCdAAK';
  return {
    attributes: attributes(CONVERSATION_OWNERSHIP.object, id),
    [H.conversationId.name]: o.conversationId,
    [H.case.name]: o.caseId === '' ? null : o.caseId,
    [H.whatsAppNumber.name]: opts.number ?? null,
    [H.whatsAppUserId.name]: opts.bsuid ?? null,
    [H.agentId.name]: o.agentId,
    [H.agentName.name]: o.agentName,
    [H.queueId.name]: o.queueId,
    [H.queueName.name]: o.queueName,
    [H.wrapupCode.name]: o.wrapupCode,
    [H.wrapupName.name]: o.wrapupName === '' ? null : o.wrapupName,
    [H.startedAt.name]: sfDateTime(o.startedAt),
    [H.endedAt.name]: sfDateTime(o.endedAt),
    [H.transferCount.name]: o.transferCount,
    [H.source.name]: o.source,
    // Empty long text areas and text come back as null; checkboxes as false.
    [H.notes.name]: o.notes === '' ? null : o.notes,
    [H.unresolved.name]: o.unresolved,
    [H.channel.name]: o.channel === '' ? null : o.channel,
    [H.context.name]: Object.keys(o.attributes).length === 0 ? null : JSON.stringify(o.attributes),
  };
}

export interface ContactOptions {
  id?: string;
  number?: string | null;
  bsuid?: string | null;
  vip?: boolean;
  last?: Ownership | null;
  openCase?: { id: string; number: string } | null;
  history?: Ownership[];
}

export function contactRecord(opts: ContactOptions = {}): Record<string, unknown> {
  const id = opts.id ?? CONTACT_ID;
  const last = opts.last ?? null;
  const history = opts.history ?? [];
  return {
    attributes: attributes(CONTACT.object, id),
    Id: id,
    [C.whatsAppNumber.name]: opts.number === undefined ? '5511987654321' : opts.number,
    [C.whatsAppUserId.name]: opts.bsuid ?? null,
    Continuity_VIP__c: opts.vip ?? false,
    [C.lastAgentId.name]: last?.agentId ?? null,
    [C.lastAgentName.name]: last?.agentName ?? null,
    [C.lastQueueId.name]: last?.queueId ?? null,
    [C.lastQueueName.name]: last?.queueName ?? null,
    [C.lastConversationId.name]: last?.conversationId ?? null,
    [C.lastWrapupCode.name]: last?.wrapupCode ?? null,
    [C.lastWrapupName.name]: last?.wrapupName || null,
    [C.lastInteractionAt.name]: last ? sfDateTime(last.endedAt) : null,
    [C.lastNotes.name]: last?.notes || null,
    [C.lastUnresolved.name]: last?.unresolved ?? false,
    [C.lastChannel.name]: last?.channel || null,
    [C.lastContext.name]:
      last && Object.keys(last.attributes).length > 0 ? JSON.stringify(last.attributes) : null,
    Cases: opts.openCase
      ? queryBody([
          {
            attributes: attributes('Case', opts.openCase.id),
            Id: opts.openCase.id,
            CaseNumber: opts.openCase.number,
          },
        ])
      : null,
    [CONVERSATION_OWNERSHIP.contactRelationship]:
      history.length > 0
        ? queryBody(history.map((o) => historyRecord(o, { number: '5511987654321' })))
        : null,
  };
}
