/**
 * Every Salesforce object and field the bridge reads or writes, in one place.
 *
 * This module is the single source of truth shared by the bridge (SOQL, upserts)
 * and by the metadata parity test, which proves that each entry exists in
 * `force-app/` with a compatible type and length. Change a field here and the
 * test tells you which metadata file has to follow.
 */

export type SalesforceFieldType =
  'Text' | 'LongTextArea' | 'DateTime' | 'Number' | 'Checkbox' | 'Lookup' | 'Picklist';

export interface SalesforceFieldSpec {
  /** API name of the field, e.g. `Last_Agent_Id__c`. */
  readonly name: string;
  readonly type: SalesforceFieldType;
  /** Minimum length the bridge needs (Text / LongTextArea); metadata may be longer. */
  readonly length?: number;
  /** For Lookup fields: the referenced object. */
  readonly referenceTo?: string;
  /** True when the field is an External ID the bridge upserts by. */
  readonly externalId?: boolean;
  /** True when the bridge writes the field (the integration permission set must grant edit). */
  readonly writes: boolean;
  /**
   * Written only when the bridge creates a Contact (UNKNOWN_CUSTOMER=create_contact):
   * edit comes from the separate contact-creation permission set, never the integration set.
   */
  readonly writtenOnCreate?: boolean;
  /** Holds personal data: carries a Salesforce data classification, listed in docs/privacy.md. */
  readonly personal?: boolean;
}

const text = (name: string, length: number, writes = true): SalesforceFieldSpec => ({
  name,
  type: 'Text',
  length,
  writes,
});
const dateTime = (name: string): SalesforceFieldSpec => ({ name, type: 'DateTime', writes: true });
const checkbox = (name: string): SalesforceFieldSpec => ({ name, type: 'Checkbox', writes: true });
const longText = (name: string, length: number): SalesforceFieldSpec => ({
  name,
  type: 'LongTextArea',
  length,
  writes: true,
  personal: true,
});
/** A WhatsApp identity key: personal, written only when the bridge creates the Contact. */
const identityKey = (name: string, length: number, onCreate: boolean): SalesforceFieldSpec => ({
  ...text(name, length, !onCreate),
  personal: true,
  ...(onCreate && { writtenOnCreate: true }),
});

/** Notes are long text areas of this length: NOTES_MAX_CHARS and the marker fit. */
export const NOTES_FIELD_LENGTH = 32_768;
/** Allow-listed attributes as JSON: 20 values of 255 characters and their names fit. */
export const CONTEXT_FIELD_LENGTH = 8_000;

/** The `Last_*` set carried by both Contact and Case (DESIGN §5). */
const lastOwnerFields = {
  lastAgentId: text('Last_Agent_Id__c', 36),
  lastAgentName: text('Last_Agent_Name__c', 255),
  lastQueueId: text('Last_Queue_Id__c', 36),
  lastQueueName: text('Last_Queue_Name__c', 255),
  lastConversationId: text('Last_Conversation_Id__c', 36),
  lastWrapupCode: text('Last_Wrapup_Code__c', 255),
  lastWrapupName: text('Last_Wrapup_Name__c', 255),
  lastInteractionAt: dateTime('Last_Interaction_At__c'),
  lastNotes: longText('Last_Notes__c', NOTES_FIELD_LENGTH),
  lastUnresolved: checkbox('Last_Unresolved__c'),
  lastChannel: text('Last_Channel__c', 32),
  lastContext: longText('Last_Context__c', CONTEXT_FIELD_LENGTH),
} as const;

export const CONTACT = {
  object: 'Contact',
  fields: {
    /** The customer key: E.164 digits only (DESIGN §3). Text, External ID, Unique. */
    whatsAppNumber: { ...identityKey('WhatsApp_Number__c', 20, true), externalId: true },
    /** Meta business-scoped user id (e.g. `BR.1502576394655843`), the second key. */
    whatsAppUserId: { ...identityKey('WhatsApp_User_Id__c', 140, true), externalId: true },
    ...lastOwnerFields,
    /** VIP flag; a deployment may point the bridge at an existing field instead (SF_VIP_FIELD). */
    vip: { name: 'Continuity_VIP__c', type: 'Checkbox', writes: false },
  },
} as const satisfies { object: string; fields: Record<string, SalesforceFieldSpec> };

export const CASE = {
  object: 'Case',
  fields: {
    ...lastOwnerFields,
  },
} as const satisfies { object: string; fields: Record<string, SalesforceFieldSpec> };

export const CONVERSATION_OWNERSHIP = {
  object: 'Conversation_Ownership__c',
  /** Child relationship name from Contact (Lookup `Contact__c`), used in one-query lookups. */
  contactRelationship: 'Conversation_Ownerships__r',
  /** Child relationship name from Case (Lookup `Case__c`). */
  caseRelationship: 'Conversation_Ownerships__r',
  fields: {
    conversationId: { ...text('Conversation_Id__c', 36), externalId: true },
    contact: { name: 'Contact__c', type: 'Lookup', referenceTo: 'Contact', writes: true },
    case: { name: 'Case__c', type: 'Lookup', referenceTo: 'Case', writes: true },
    whatsAppNumber: identityKey('WhatsApp_Number__c', 20, false),
    whatsAppUserId: identityKey('WhatsApp_User_Id__c', 140, false),
    agentId: text('Agent_Id__c', 36),
    agentName: text('Agent_Name__c', 255),
    queueId: text('Queue_Id__c', 36),
    queueName: text('Queue_Name__c', 255),
    wrapupCode: text('Wrapup_Code__c', 36),
    wrapupName: text('Wrapup_Name__c', 255),
    startedAt: dateTime('Started_At__c'),
    endedAt: dateTime('Ended_At__c'),
    transferCount: { name: 'Transfer_Count__c', type: 'Number', writes: true },
    source: { name: 'Source__c', type: 'Picklist', writes: true },
    notes: longText('Notes__c', NOTES_FIELD_LENGTH),
    unresolved: checkbox('Unresolved__c'),
    channel: text('Channel__c', 32),
    context: longText('Context__c', CONTEXT_FIELD_LENGTH),
  },
} as const satisfies {
  object: string;
  contactRelationship: string;
  caseRelationship: string;
  fields: Record<string, SalesforceFieldSpec>;
};

/** Values of the `Source__c` picklist on the history object: the domain's ownership sources. */
export { OWNERSHIP_SOURCES } from '../../domain/ownership.ts';

/** All objects the bridge touches, for the parity test and `doctor`. */
export const SALESFORCE_OBJECTS = [CONTACT, CASE, CONVERSATION_OWNERSHIP] as const;

/** The API version the bridge pins (jsforce defaults to 50.0 otherwise). Winter '27. */
export const SALESFORCE_API_VERSION = '68.0';
