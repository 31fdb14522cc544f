import { LightningElement, api, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';

/** Objects carrying the `Last_*` set (src/adapters/salesforce/fields.salesforce.ts). */
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
/** Context fields: optional, so the card still works while an org deploys them. */
const CONTEXT_FIELDS = [
  'Last_Wrapup_Name__c',
  'Last_Notes__c',
  'Last_Unresolved__c',
  'Last_Channel__c',
  'Last_Context__c',
];
const HISTORY_OBJECT = 'Conversation_Ownership__c';
/** Child relationship of both Contact__c and Case__c lookups. */
const HISTORY_RELATED_LIST = 'Conversation_Ownerships__r';
const HISTORY_FIELDS = [
  'Agent_Name__c',
  'Agent_Id__c',
  'Queue_Name__c',
  'Queue_Id__c',
  'Wrapup_Name__c',
  'Wrapup_Code__c',
  'Unresolved__c',
  'Ended_At__c',
  'Conversation_Id__c',
].map((field) => `${HISTORY_OBJECT}.${field}`);
const HISTORY_SORT = [`-${HISTORY_OBJECT}.Ended_At__c`];
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_ROWS = 5;
const MAX_ROWS = 50;
const DEFAULT_WINDOW_DAYS = 7;
/** Notes longer than this start folded, with a "Show all notes" toggle. */
const NOTES_FOLD_CHARS = 280;
const CHANNELS = {
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  webmessaging: 'Web messaging',
  facebook: 'Messenger',
  instagram: 'Instagram',
  open: 'Open messaging',
};

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

/** A name, else the id with a label saying what it is: never a bare Genesys UUID. */
function named(name, id, what) {
  if (name) return name;
  return id ? `${what} ${id}` : '';
}

/** The technical message of a UI API / LDS error, for the admin (the agent reads plain words). */
function errorDetail(error) {
  const body = error && error.body;
  if (Array.isArray(body)) {
    const messages = body.map((item) => item && item.message).filter(Boolean);
    if (messages.length) return messages.join(', ');
  } else if (body && typeof body.message === 'string') {
    return body.message;
  }
  return (error && (error.message || error.statusText)) || '';
}

/** Plain words for the agent: what happened and who can fix it. */
function errorAdvice(error) {
  const status = error && error.status;
  const detail = errorDetail(error);
  if (status === 403 || /INSUFFICIENT_ACCESS|not supported|No such column|FIELD/i.test(detail)) {
    return 'You do not have access to the continuity fields. Ask your Salesforce admin to assign the Continuity Bridge Agent permission set.';
  }
  if (status === 404) return 'This record is no longer available. Refresh the page.';
  return 'Salesforce could not load the continuity owner just now. Refresh the page in a moment.';
}

/** Allow-listed attributes the bridge stored as a JSON object; anything else shows nothing. */
function contextEntries(json) {
  if (!json) return [];
  try {
    const parsed = JSON.parse(json);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
    return Object.keys(parsed)
      .filter((key) => typeof parsed[key] === 'string' && parsed[key] !== '')
      .map((key) => ({ key, label: key, value: parsed[key] }));
  } catch {
    return [];
  }
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
  notesExpanded = false;

  get recordFields() {
    if (!SUPPORTED_OBJECTS.includes(this.objectApiName)) return undefined;
    return OWNER_FIELDS.map((field) => `${this.objectApiName}.${field}`);
  }

  get optionalRecordFields() {
    if (!SUPPORTED_OBJECTS.includes(this.objectApiName)) return undefined;
    return CONTEXT_FIELDS.map((field) => `${this.objectApiName}.${field}`);
  }

  get pageSize() {
    return positiveInteger(this.historyRowCount, DEFAULT_ROWS, MAX_ROWS);
  }

  get windowDays() {
    return positiveInteger(this.affinityWindowDays, DEFAULT_WINDOW_DAYS);
  }

  @wire(getRecord, {
    recordId: '$recordId',
    fields: '$recordFields',
    optionalFields: '$optionalRecordFields',
  })
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

  get recordError() {
    return this.record && this.record.error ? this.record.error : undefined;
  }

  get recordErrorAdvice() {
    return this.recordError ? errorAdvice(this.recordError) : '';
  }

  get recordErrorDetail() {
    return this.recordError ? errorDetail(this.recordError) : '';
  }

  owner(field) {
    return fieldText(this.data, field);
  }

  get agentLabel() {
    return named(
      this.owner('Last_Agent_Name__c'),
      this.owner('Last_Agent_Id__c'),
      'Genesys user id',
    );
  }

  get hasOwner() {
    return Boolean(this.agentLabel);
  }

  get queueLabel() {
    return (
      named(this.owner('Last_Queue_Name__c'), this.owner('Last_Queue_Id__c'), 'Genesys queue id') ||
      '—'
    );
  }

  get channelLabel() {
    const channel = this.owner('Last_Channel__c');
    return CHANNELS[channel] || channel || '—';
  }

  /**
   * The wrap-up name is on the record (since the context fields) and on the
   * history row of the same conversation; the code id is the last resort.
   */
  get wrapupLabel() {
    const onRecord = this.owner('Last_Wrapup_Name__c');
    if (onRecord) return onRecord;
    const conversationId = this.owner('Last_Conversation_Id__c');
    const row = conversationId && this.historyRows.find((r) => r.conversationId === conversationId);
    if (row && row.wrapupName) return row.wrapupName;
    return named('', this.owner('Last_Wrapup_Code__c'), 'Wrap-up code id') || '—';
  }

  get isUnresolved() {
    return fieldValue(this.data, 'Last_Unresolved__c') === true;
  }

  get notes() {
    return this.owner('Last_Notes__c');
  }

  get hasNotes() {
    return this.notes.trim() !== '';
  }

  get isNotesFoldable() {
    return this.notes.length > NOTES_FOLD_CHARS;
  }

  get notesClass() {
    return this.isNotesFoldable && !this.notesExpanded ? 'notes notes_folded' : 'notes';
  }

  get notesToggleLabel() {
    return this.notesExpanded ? 'Show less' : 'Show all notes';
  }

  handleNotesToggle() {
    this.notesExpanded = !this.notesExpanded;
  }

  get contextItems() {
    return contextEntries(this.owner('Last_Context__c'));
  }

  get hasContext() {
    return this.contextItems.length > 0;
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
    return this.isContinuityActive ? 'Continuity active' : 'Stale: next message starts afresh';
  }

  get continuityBadgeClass() {
    return this.isContinuityActive ? 'slds-theme_success' : 'slds-theme_warning';
  }

  get continuityExplanation() {
    const days = this.windowDays;
    const unresolved = this.isUnresolved ? ' The last conversation ended unresolved.' : '';
    return this.isContinuityActive
      ? `Within the ${days}-day continuity window: the customer's next WhatsApp message is offered to ${this.agentLabel} first.${unresolved}`
      : `More than ${days} days since the last interaction: the next WhatsApp message starts a fresh journey.${unresolved}`;
  }

  get recordNoun() {
    return this.objectApiName === 'Case' ? 'case' : 'contact';
  }

  get emptyMessage() {
    return `No WhatsApp conversation has been recorded for this ${this.recordNoun} yet. The next message follows the standard routing.`;
  }

  // ---- history state ------------------------------------------------------

  get historyRows() {
    const records = (this.history && this.history.data && this.history.data.records) || [];
    return records
      .map((row) => {
        const wrapupName = fieldText(row, 'Wrapup_Name__c');
        return {
          id: row.id,
          agent:
            named(
              fieldText(row, 'Agent_Name__c'),
              fieldText(row, 'Agent_Id__c'),
              'Genesys user id',
            ) || '—',
          queue:
            named(
              fieldText(row, 'Queue_Name__c'),
              fieldText(row, 'Queue_Id__c'),
              'Genesys queue id',
            ) || '—',
          wrapupName,
          wrapup: named(wrapupName, fieldText(row, 'Wrapup_Code__c'), 'Wrap-up code id') || '—',
          unresolved: fieldValue(row, 'Unresolved__c') === true,
          endedAt: fieldValue(row, 'Ended_At__c') || undefined,
          conversationId: fieldValue(row, 'Conversation_Id__c'),
        };
      })
      .sort((a, b) => (b.endedAt || '').localeCompare(a.endedAt || ''))
      .slice(0, this.pageSize);
  }

  /** An expression keeps its trailing space; template text would lose it. */
  get unresolvedPrefix() {
    return 'Unresolved: ';
  }

  get hasHistory() {
    return this.historyRows.length > 0;
  }

  /**
   * One empty state: with no owner and no history the card says so once;
   * otherwise the history section shows (loading, failed, listed or empty).
   */
  get isEmpty() {
    return !this.hasOwner && !this.hasHistory && !this.isHistoryLoading && !this.historyError;
  }

  get showHistory() {
    return Boolean(this.data) && !this.isEmpty;
  }

  get isHistoryLoading() {
    return !this.history || (!this.history.data && !this.history.error);
  }

  get historyError() {
    return this.history && this.history.error ? this.history.error : undefined;
  }

  get historyErrorAdvice() {
    return this.historyError ? errorAdvice(this.historyError) : '';
  }

  get historyErrorDetail() {
    return this.historyError ? errorDetail(this.historyError) : '';
  }
}
