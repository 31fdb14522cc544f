import { LightningElement, api, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';

/** Objects carrying the `Last_*` set (src/contracts/salesforce-fields.ts). */
const SUPPORTED_OBJECTS = ['Contact', 'Case'];
const OWNER_FIELDS = [
  'Last_Agent_Id__c',
  'Last_Agent_Name__c',
  'Last_Queue_Id__c',
  'Last_Queue_Name__c',
  'Last_Conversation_Id__c',
  'Last_Wrapup_Code__c',
  'Last_Interaction_At__c',
];
const HISTORY_OBJECT = 'Conversation_Ownership__c';
/** Child relationship of both Contact__c and Case__c lookups. */
const HISTORY_RELATED_LIST = 'Conversation_Ownerships__r';
const HISTORY_FIELDS = [
  'Agent_Name__c',
  'Queue_Name__c',
  'Wrapup_Name__c',
  'Ended_At__c',
  'Conversation_Id__c',
].map((field) => `${HISTORY_OBJECT}.${field}`);
const HISTORY_SORT = [`-${HISTORY_OBJECT}.Ended_At__c`];
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_ROWS = 5;
const MAX_ROWS = 50;
const DEFAULT_WINDOW_DAYS = 7;

function positiveInteger(value, fallback, max) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) return fallback;
  return max ? Math.min(n, max) : n;
}

function fieldValue(record, field) {
  const entry = record && record.fields && record.fields[field];
  return entry && entry.value !== undefined && entry.value !== null ? entry.value : '';
}

function fieldText(record, field) {
  const entry = record && record.fields && record.fields[field];
  if (!entry) return '';
  return (
    entry.displayValue ||
    (entry.value === null || entry.value === undefined ? '' : String(entry.value))
  );
}

/** First readable message of a UI API / LDS error. */
function errorMessage(error) {
  const body = error && error.body;
  if (Array.isArray(body)) {
    const messages = body.map((item) => item && item.message).filter(Boolean);
    if (messages.length) return messages.join(', ');
  } else if (body && typeof body.message === 'string') {
    return body.message;
  }
  return (error && (error.message || error.statusText)) || 'Unknown error';
}

export default class ContinuityOwner extends LightningElement {
  @api recordId;
  @api objectApiName;
  /** Design property: rows of history to show. */
  @api historyRowCount = DEFAULT_ROWS;
  /** Design property: days during which continuity still applies. */
  @api affinityWindowDays = DEFAULT_WINDOW_DAYS;

  record;
  history;

  get recordFields() {
    if (!SUPPORTED_OBJECTS.includes(this.objectApiName)) return undefined;
    return OWNER_FIELDS.map((field) => `${this.objectApiName}.${field}`);
  }

  get pageSize() {
    return positiveInteger(this.historyRowCount, DEFAULT_ROWS, MAX_ROWS);
  }

  get windowDays() {
    return positiveInteger(this.affinityWindowDays, DEFAULT_WINDOW_DAYS);
  }

  @wire(getRecord, { recordId: '$recordId', fields: '$recordFields' })
  wiredRecord(result) {
    this.record = result;
  }

  @wire(getRelatedListRecords, {
    parentRecordId: '$recordId',
    relatedListId: HISTORY_RELATED_LIST,
    fields: HISTORY_FIELDS,
    sortBy: HISTORY_SORT,
    pageSize: '$pageSize',
  })
  wiredHistory(result) {
    this.history = result;
  }

  // ---- record state -------------------------------------------------------

  get isUnsupported() {
    return this.recordFields === undefined;
  }

  get data() {
    return this.record && this.record.data;
  }

  get isLoading() {
    return !this.data && !(this.record && this.record.error);
  }

  get recordErrorMessage() {
    return this.record && this.record.error ? errorMessage(this.record.error) : '';
  }

  owner(field) {
    return fieldText(this.data, field);
  }

  /** The agent's name, or their Genesys id when the name is unknown. */
  get agentLabel() {
    return this.owner('Last_Agent_Name__c') || this.owner('Last_Agent_Id__c');
  }

  get hasOwner() {
    return Boolean(this.agentLabel);
  }

  get queueLabel() {
    return this.owner('Last_Queue_Name__c') || this.owner('Last_Queue_Id__c') || '—';
  }

  /**
   * The record stores the wrap-up code id; its name is on the history row of the
   * same conversation. Fall back to the id until (or unless) that row is loaded.
   */
  get wrapupLabel() {
    const conversationId = this.owner('Last_Conversation_Id__c');
    const row = conversationId && this.historyRows.find((r) => r.conversationId === conversationId);
    const name = row && row.wrapup !== '—' ? row.wrapup : '';
    return name || this.owner('Last_Wrapup_Code__c') || '—';
  }

  get lastInteractionAt() {
    const iso = fieldValue(this.data, 'Last_Interaction_At__c');
    const ms = iso ? Date.parse(iso) : NaN;
    return Number.isNaN(ms) ? undefined : ms;
  }

  get hasInteractionTime() {
    return this.lastInteractionAt !== undefined;
  }

  get isContinuityActive() {
    const at = this.lastInteractionAt;
    return at !== undefined && Date.now() - at <= this.windowDays * DAY_MS;
  }

  get continuityLabel() {
    return this.isContinuityActive
      ? 'Continuity active'
      : 'Stale – next message restarts the journey';
  }

  get continuityBadgeClass() {
    return this.isContinuityActive ? 'slds-theme_success' : 'slds-theme_warning';
  }

  get continuityExplanation() {
    const days = this.windowDays;
    return this.isContinuityActive
      ? `Within the ${days}-day continuity window: the customer's next WhatsApp message is offered to ${this.agentLabel} first.`
      : `More than ${days} days since the last interaction: the next WhatsApp message starts a fresh journey.`;
  }

  get recordNoun() {
    return this.objectApiName === 'Case' ? 'case' : 'contact';
  }

  get emptyMessage() {
    return `No WhatsApp conversation has been recorded for this ${this.recordNoun} yet. The next message follows the standard routing.`;
  }

  // ---- history state ------------------------------------------------------

  /** History is shown once the record is known (no point listing it beside an error). */
  get showHistory() {
    return Boolean(this.data);
  }

  get isHistoryLoading() {
    return !this.history || (!this.history.data && !this.history.error);
  }

  get historyErrorMessage() {
    return this.history && this.history.error ? errorMessage(this.history.error) : '';
  }

  get historyRows() {
    const records = (this.history && this.history.data && this.history.data.records) || [];
    return records
      .map((row) => ({
        id: row.id,
        agent: fieldText(row, 'Agent_Name__c') || '—',
        queue: fieldText(row, 'Queue_Name__c') || '—',
        wrapup: fieldText(row, 'Wrapup_Name__c') || '—',
        endedAt: fieldValue(row, 'Ended_At__c') || undefined,
        conversationId: fieldValue(row, 'Conversation_Id__c'),
      }))
      .sort((a, b) => (b.endedAt || '').localeCompare(a.endedAt || ''))
      .slice(0, this.pageSize);
  }

  get hasHistory() {
    return this.historyRows.length > 0;
  }
}
