import { z } from 'zod';
import { CASE, CONTACT, CONVERSATION_OWNERSHIP, OWNERSHIP_SOURCES } from './fields.salesforce.ts';
import { storedKeys, type CustomerKey } from '../../domain/customer-key.ts';
import {
  compareVersions,
  recordUnderKey,
  type CustomerRecord,
  type Ownership,
  type OwnershipSource,
  type OwnershipVersion,
} from '../../domain/ownership.ts';
import { STANDARD } from './names.salesforce.ts';

/** How many ownerships a customer record carries (and the history subquery reads). */
export const RECENT_LIMIT = 10;

const H = CONVERSATION_OWNERSHIP.fields;
const C = CONTACT.fields;

// Salesforce returns `null` for empty text, number and date fields, and
// fields left out of a SELECT are absent: both read as empty here.
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const dateTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'not a date-time')
  .nullish()
  .transform((value) => (value ? Date.parse(value) : null));
const count = z
  .number()
  .nullish()
  .transform((value) => value ?? 0);
const source = z
  .string()
  .nullish()
  .transform((value): OwnershipSource => OWNERSHIP_SOURCES.find((s) => s === value) ?? 'event');
// The VIP field is configurable and may be an existing field of another type.
const vipFlag = z
  .union([z.boolean(), z.string(), z.number()])
  .nullish()
  .transform((value) =>
    typeof value === 'string' ? /^(true|yes|y|1|vip)$/i.test(value.trim()) : Boolean(value),
  );

const flag = z
  .boolean()
  .nullish()
  .transform((value) => value === true);
// The JSON the bridge wrote; anything else (an admin's edit) reads as no attributes.
const contextAttributes = z
  .string()
  .nullish()
  .transform((value): Record<string, string> => {
    if (!value) return {};
    try {
      const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(value));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  });

type FieldSpec = Record<string, readonly [string, z.ZodType]>;
type Parsed<S extends FieldSpec> = { [K in keyof S]: z.output<S[K][1]> };

/**
 * A zod schema for one sObject row whose API field names come from the field
 * map, producing an object keyed by our own names (`agentId`, not `Agent_Id__c`).
 */
function sobject<S extends FieldSpec>(spec: S): z.ZodType<Parsed<S>> {
  const shape = Object.fromEntries(Object.values(spec).map(([name, schema]) => [name, schema]));
  return z.looseObject(shape).transform((raw) => {
    const out: Record<string, unknown> = {};
    for (const [key, [name]] of Object.entries(spec)) out[key] = raw[name];
    return out as Parsed<S>;
  }) as unknown as z.ZodType<Parsed<S>>;
}

/** `{totalSize, done, records, nextRecordsUrl?}`: a query result (reference §2.4). */
export function queryResult<T>(row: z.ZodType<T>) {
  return z.object({
    totalSize: z.number(),
    done: z.boolean(),
    nextRecordsUrl: z.string().optional(),
    records: z.array(row),
  });
}
export type QueryResult<T> = {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
};

/** A child-relationship subquery: the same shape, or `null` when it has no rows. */
function subquery<T>(row: z.ZodType<T>) {
  return queryResult(row)
    .nullish()
    .transform((result) => result?.records ?? []);
}

export const HistoryRow = sobject({
  conversationId: [H.conversationId.name, z.string().min(1)],
  caseId: [H.case.name, text],
  whatsAppNumber: [H.whatsAppNumber.name, text],
  whatsAppUserId: [H.whatsAppUserId.name, text],
  agentId: [H.agentId.name, text],
  agentName: [H.agentName.name, text],
  queueId: [H.queueId.name, text],
  queueName: [H.queueName.name, text],
  wrapupCode: [H.wrapupCode.name, text],
  wrapupName: [H.wrapupName.name, text],
  startedAt: [H.startedAt.name, dateTime],
  endedAt: [H.endedAt.name, dateTime],
  transferCount: [H.transferCount.name, count],
  source: [H.source.name, source],
  notes: [H.notes.name, text],
  unresolved: [H.unresolved.name, flag],
  channel: [H.channel.name, text],
  context: [H.context.name, contextAttributes],
});
export type HistoryRow = z.output<typeof HistoryRow>;

/** A Case with the version of its own `Last_*` copy (absent fields read as never written). */
export const CaseRow = sobject({
  id: [STANDARD.id, z.string().min(1)],
  caseNumber: [STANDARD.caseNumber, text],
  lastConversationId: [CASE.fields.lastConversationId.name, text],
  lastInteractionAt: [CASE.fields.lastInteractionAt.name, dateTime],
});
export type CaseRow = z.output<typeof CaseRow>;

/** The version of a Case's `Last_*` fields, or null when the bridge never wrote them. */
export function caseLastVersion(row: CaseRow): OwnershipVersion | null {
  if (row.lastConversationId === '' || row.lastInteractionAt === null) return null;
  return { conversationId: row.lastConversationId, endedAt: row.lastInteractionAt };
}

/** A Contact row as the find and commit queries select it. */
export function contactRow(vipField: string) {
  return sobject({
    id: [STANDARD.id, z.string().min(1)],
    whatsAppNumber: [C.whatsAppNumber.name, text],
    whatsAppUserId: [C.whatsAppUserId.name, text],
    vip: [vipField, vipFlag],
    lastAgentId: [C.lastAgentId.name, text],
    lastAgentName: [C.lastAgentName.name, text],
    lastQueueId: [C.lastQueueId.name, text],
    lastQueueName: [C.lastQueueName.name, text],
    lastConversationId: [C.lastConversationId.name, text],
    lastWrapupCode: [C.lastWrapupCode.name, text],
    lastWrapupName: [C.lastWrapupName.name, text],
    lastInteractionAt: [C.lastInteractionAt.name, dateTime],
    lastNotes: [C.lastNotes.name, text],
    lastUnresolved: [C.lastUnresolved.name, flag],
    lastChannel: [C.lastChannel.name, text],
    lastContext: [C.lastContext.name, contextAttributes],
    openCases: [STANDARD.contactCases, subquery(CaseRow)],
    history: [CONVERSATION_OWNERSHIP.contactRelationship, subquery(HistoryRow)],
  });
}
export type ContactRow = z.output<ReturnType<typeof contactRow>>;

export function historyToOwnership(row: HistoryRow): Ownership {
  const endedAt = row.endedAt ?? 0;
  return {
    conversationId: row.conversationId,
    agentId: row.agentId,
    agentName: row.agentName,
    queueId: row.queueId,
    queueName: row.queueName,
    wrapupCode: row.wrapupCode,
    wrapupName: row.wrapupName,
    startedAt: row.startedAt ?? endedAt,
    endedAt,
    transferCount: row.transferCount,
    source: row.source,
    caseId: row.caseId,
    notes: row.notes,
    unresolved: row.unresolved,
    channel: row.channel,
    attributes: row.context,
  };
}

/**
 * The Contact's `Last_*` fields as an ownership, or null when never written.
 * They carry less than a history row: no start time (the end time stands in),
 * transfer count or source.
 */
export function contactLastOwnership(contact: ContactRow): Ownership | null {
  if (contact.lastConversationId === '' || contact.lastInteractionAt === null) return null;
  return {
    conversationId: contact.lastConversationId,
    agentId: contact.lastAgentId,
    agentName: contact.lastAgentName,
    queueId: contact.lastQueueId,
    queueName: contact.lastQueueName,
    wrapupCode: contact.lastWrapupCode,
    wrapupName: contact.lastWrapupName,
    startedAt: contact.lastInteractionAt,
    endedAt: contact.lastInteractionAt,
    transferCount: 0,
    source: 'event',
    caseId: '',
    notes: contact.lastNotes,
    unresolved: contact.lastUnresolved,
    channel: contact.lastChannel,
    attributes: contact.lastContext,
  };
}

/**
 * One ownership per conversation (the newest version; on a tie the first
 * given, so history rows win over the thinner `Last_*` copy), newest first.
 */
export function mergeOwnerships(ownerships: readonly Ownership[]): Ownership[] {
  const byConversation = new Map<string, Ownership>();
  for (const ownership of ownerships) {
    const seen = byConversation.get(ownership.conversationId);
    if (!seen || compareVersions(ownership, seen) > 0) {
      byConversation.set(ownership.conversationId, ownership);
    }
  }
  return [...byConversation.values()].sort((a, b) => compareVersions(b, a));
}

export interface RecordParts {
  readonly key: CustomerKey;
  readonly contactId: string;
  readonly vip: boolean;
  readonly openCase: { readonly id: string; readonly number: string } | null;
  readonly ownerships: readonly Ownership[];
  /** Every key the customer's Contact holds (its number and user id), canonical. */
  readonly contactKeys?: readonly CustomerKey[];
}

/**
 * The customer record: `current` is the newest ownership among the Contact's
 * `Last_*` and the history rows; `recent` holds up to ten, newest first,
 * `current` included. The case is the conversation's own case when it named
 * one, else the Contact's most recent open Case.
 */
export function buildCustomerRecord(parts: RecordParts): CustomerRecord {
  const recent = mergeOwnerships(parts.ownerships).slice(0, RECENT_LIMIT);
  const current = recent[0] ?? null;
  const caseId = current?.caseId || parts.openCase?.id || '';
  const record: CustomerRecord = {
    key: parts.key,
    contactId: parts.contactId,
    caseId,
    caseNumber: parts.openCase && parts.openCase.id === caseId ? parts.openCase.number : '',
    // The subquery reads open Cases only: the record's case is open when it is that one.
    caseOpen: parts.openCase !== null && parts.openCase.id === caseId,
    vip: parts.vip,
    current,
    recent,
    aliases: parts.contactKeys ?? [],
  };
  return recordUnderKey(record, parts.key);
}

/** The record parts of a Contact row: its history subquery plus its `Last_*` copy. */
export function contactParts(key: CustomerKey, contact: ContactRow): RecordParts {
  const last = contactLastOwnership(contact);
  const openCase = contact.openCases[0];
  return {
    key,
    contactId: contact.id,
    vip: contact.vip,
    openCase: openCase ? { id: openCase.id, number: openCase.caseNumber } : null,
    ownerships: [...contact.history.map(historyToOwnership), ...(last ? [last] : [])],
    contactKeys: storedKeys(contact.whatsAppNumber, contact.whatsAppUserId),
  };
}
