import { createElement } from '@lwc/engine-dom';
import ContinuityOwner from 'c/continuityOwner';
import { getRecord } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';

// Realistic wire payloads (UI API shapes), named after the adapter.
const mockGetRecordContact = require('./data/getRecordContact.json');
const mockGetRecordContactNoOwnership = require('./data/getRecordContactNoOwnership.json');
const mockGetRecordCase = require('./data/getRecordCase.json');
const mockGetRelatedListRecords = require('./data/getRelatedListRecords.json');
const mockGetRelatedListRecordsNoRecords = require('./data/getRelatedListRecordsNoRecords.json');

// Last interaction in getRecordContact.json is 2026-11-20T14:05:12Z.
const THREE_DAYS_LATER = Date.parse('2026-11-23T14:00:00.000Z');
const FIFTEEN_DAYS_LATER = Date.parse('2026-12-05T14:00:00.000Z');

const CONTACT_ID = mockGetRecordContact.id;

describe('c-continuity-owner', () => {
  let nowSpy;

  beforeEach(() => {
    nowSpy = jest.spyOn(Date, 'now').mockReturnValue(THREE_DAYS_LATER);
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    nowSpy.mockRestore();
    jest.clearAllMocks();
  });

  // Wire emits and re-renders are microtasks.
  async function flushPromises() {
    return Promise.resolve();
  }

  function createComponent(props = {}) {
    const element = createElement('c-continuity-owner', { is: ContinuityOwner });
    Object.assign(element, { recordId: CONTACT_ID, objectApiName: 'Contact' }, props);
    document.body.appendChild(element);
    return element;
  }

  const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
  const $$ = (element, id) => element.shadowRoot.querySelectorAll(`[data-id="${id}"]`);
  const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();

  describe('before the wires answer (loading)', () => {
    it('shows a labelled spinner and nothing else', async () => {
      const element = createComponent();
      await flushPromises();

      const spinner = $(element, 'loading').querySelector('lightning-spinner');
      expect(spinner.alternativeText).toBe('Loading the continuity owner');
      expect($(element, 'owner')).toBeNull();
      expect($(element, 'empty')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('asks getRecord for the Contact Last_* fields of this record', async () => {
      createComponent();
      await flushPromises();

      expect(getRecord.getLastConfig()).toEqual({
        recordId: CONTACT_ID,
        fields: [
          'Contact.Last_Agent_Id__c',
          'Contact.Last_Agent_Name__c',
          'Contact.Last_Queue_Id__c',
          'Contact.Last_Queue_Name__c',
          'Contact.Last_Conversation_Id__c',
          'Contact.Last_Wrapup_Code__c',
          'Contact.Last_Interaction_At__c',
        ],
        optionalFields: [
          'Contact.Last_Wrapup_Name__c',
          'Contact.Last_Notes__c',
          'Contact.Last_Unresolved__c',
          'Contact.Last_Channel__c',
          'Contact.Last_Context__c',
        ],
      });
    });

    it('asks for the Conversation_Ownerships__r related list, newest first, historyRowCount rows', async () => {
      createComponent({ historyRowCount: 3 });
      await flushPromises();

      expect(getRelatedListRecords.getLastConfig()).toEqual({
        parentRecordId: CONTACT_ID,
        relatedListId: 'Conversation_Ownerships__r',
        fields: [
          'Conversation_Ownership__c.Agent_Name__c',
          'Conversation_Ownership__c.Agent_Id__c',
          'Conversation_Ownership__c.Queue_Name__c',
          'Conversation_Ownership__c.Queue_Id__c',
          'Conversation_Ownership__c.Wrapup_Name__c',
          'Conversation_Ownership__c.Wrapup_Code__c',
          'Conversation_Ownership__c.Unresolved__c',
          'Conversation_Ownership__c.Ended_At__c',
          'Conversation_Ownership__c.Conversation_Id__c',
        ],
        sortBy: ['-Conversation_Ownership__c.Ended_At__c'],
        pageSize: 3,
      });
    });

    it('defaults to 5 history rows', async () => {
      createComponent();
      await flushPromises();

      expect(getRelatedListRecords.getLastConfig().pageSize).toBe(5);
    });
  });

  describe('getRecord @wire data (continuity active)', () => {
    it('shows the owner, queue, channel, age and outcome with a "Continuity active" badge', async () => {
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      getRelatedListRecords.emit(mockGetRelatedListRecords);
      await flushPromises();

      expect(text($(element, 'agent'))).toBe('Ana Souza');
      expect(text($(element, 'queue'))).toBe('WhatsApp Support BR');
      expect(text($(element, 'wrapup'))).toBe('Refund pending');
      expect(text($(element, 'channel'))).toBe('WhatsApp');
      const lastInteraction = $(element, 'last-interaction');
      expect(lastInteraction.querySelector('lightning-relative-date-time').value).toBe(
        Date.parse('2026-11-20T14:05:12.000Z'),
      );
      const badge = $(element, 'continuity-badge');
      expect(badge.label).toBe('Continuity active');
      expect(badge.classList).toContain('slds-theme_success');
      expect(text($(element, 'continuity-explanation'))).toBe(
        "Within the 7-day continuity window: the customer's next WhatsApp message is offered to Ana Souza first. The last conversation ended unresolved.",
      );
    });

    it('shows the exact time on its own line under the relative one', async () => {
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      await flushPromises();

      const exact = $(element, 'exact-time');
      expect(exact.classList).toContain('exact-time');
      expect(exact.querySelector('lightning-formatted-date-time').value).toBe(
        Date.parse('2026-11-20T14:05:12.000Z'),
      );
      // No parentheses glued to the relative time ("3 days ago(Nov 20…").
      expect(text($(element, 'last-interaction'))).not.toContain('(');
    });

    it('marks an unresolved last conversation with a badge', async () => {
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      await flushPromises();

      expect($(element, 'unresolved-badge').label).toBe('Unresolved');
      const resolved = JSON.parse(JSON.stringify(mockGetRecordContact));
      resolved.fields.Last_Unresolved__c.value = false;
      getRecord.emit(resolved);
      await flushPromises();
      expect($(element, 'unresolved-badge')).toBeNull();
    });

    it('shows the notes folded, with a toggle that reveals all of them', async () => {
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      await flushPromises();

      const notes = $(element, 'notes');
      expect(text(notes)).toBe(mockGetRecordContact.fields.Last_Notes__c.value);
      expect(notes.classList).toContain('notes_folded');
      const toggle = $(element, 'notes-toggle');
      expect(toggle.label).toBe('Show all notes');
      toggle.click();
      await flushPromises();
      expect($(element, 'notes').classList).not.toContain('notes_folded');
      expect($(element, 'notes-toggle').label).toBe('Show less');
    });

    it('short notes need no toggle; no notes, no section', async () => {
      const element = createComponent();
      const short = JSON.parse(JSON.stringify(mockGetRecordContact));
      short.fields.Last_Notes__c.value = 'Refund approved.';
      getRecord.emit(short);
      await flushPromises();
      expect(text($(element, 'notes'))).toBe('Refund approved.');
      expect($(element, 'notes-toggle')).toBeNull();

      short.fields.Last_Notes__c.value = null;
      getRecord.emit({ ...short });
      await flushPromises();
      expect($(element, 'notes-section')).toBeNull();
    });

    it('lists the allow-listed context attributes', async () => {
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      await flushPromises();

      const values = [...$$(element, 'context-value')].map((node) => text(node));
      expect(values).toEqual(['refund', 'A-778']);
    });

    it('takes the outcome name from the history row when the record has none', async () => {
      const element = createComponent();
      const older = JSON.parse(JSON.stringify(mockGetRecordContact));
      older.fields.Last_Wrapup_Name__c.value = null;
      getRecord.emit(older);
      await flushPromises();
      expect(text($(element, 'wrapup'))).toBe(
        'Wrap-up code id 3f1c9a7e-2b4d-4e8f-a6c5-0d9b8e7f6a5c',
      );

      getRelatedListRecords.emit(mockGetRelatedListRecords);
      await flushPromises();
      expect(text($(element, 'wrapup'))).toBe('Refund pending');
    });

    it('is accessible', async () => {
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      getRelatedListRecords.emit(mockGetRelatedListRecords);
      await flushPromises();

      await expect(element).toBeAccessible();
    });
  });

  describe('getRecord @wire data (stale)', () => {
    it('says the next message restarts the journey once the window has passed', async () => {
      nowSpy.mockReturnValue(FIFTEEN_DAYS_LATER);
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      await flushPromises();

      const badge = $(element, 'continuity-badge');
      expect(badge.label).toBe('Stale: next message starts afresh');
      expect(badge.classList).toContain('slds-theme_warning');
      expect(text($(element, 'continuity-explanation'))).toBe(
        'More than 7 days since the last interaction: the next WhatsApp message starts a fresh journey. The last conversation ended unresolved.',
      );
      expect(text($(element, 'agent'))).toBe('Ana Souza');
      await expect(element).toBeAccessible();
    });

    it('follows the affinityWindowDays design property', async () => {
      const element = createComponent({ affinityWindowDays: 2 });
      getRecord.emit(mockGetRecordContact);
      await flushPromises();

      expect($(element, 'continuity-badge').label).toBe('Stale: next message starts afresh');
      expect(text($(element, 'continuity-explanation'))).toContain('More than 2 days');
    });
  });

  describe('getRecord @wire data (no ownership yet)', () => {
    it('explains once that the standard routing applies', async () => {
      const element = createComponent({ recordId: mockGetRecordContactNoOwnership.id });
      getRecord.emit(mockGetRecordContactNoOwnership);
      getRelatedListRecords.emit(mockGetRelatedListRecordsNoRecords);
      await flushPromises();

      expect(text($(element, 'empty'))).toBe(
        'No WhatsApp conversation has been recorded for this contact yet. The next message follows the standard routing.',
      );
      expect($(element, 'owner')).toBeNull();
      expect($(element, 'continuity-badge')).toBeNull();
      // One empty state: no second "nothing yet" from the history section.
      expect($(element, 'history-empty')).toBeNull();
      expect($(element, 'history')).toBeNull();
      await expect(element).toBeAccessible();
    });
  });

  describe('getRecord @wire error', () => {
    it('shows an SLDS scoped notification in plain words, the raw message only for the admin', async () => {
      const element = createComponent();
      getRecord.error(
        [{ errorCode: 'INVALID_FIELD', message: 'No such column Last_Agent_Id__c' }],
        400,
      );
      await flushPromises();

      const error = $(element, 'error');
      expect(error.getAttribute('role')).toBe('alert');
      expect(error.classList).toContain('slds-scoped-notification');
      expect(text($(element, 'error-advice'))).toBe(
        'You do not have access to the continuity fields. Ask your Salesforce admin to assign the Continuity Bridge Agent permission set.',
      );
      expect(text($(element, 'error-detail'))).toBe('No such column Last_Agent_Id__c');
      expect($(element, 'loading')).toBeNull();
      expect($(element, 'history')).toBeNull();
      await expect(element).toBeAccessible();
    });
  });

  describe('getRelatedListRecords @wire data', () => {
    it('lists the recent conversations newest first', async () => {
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      getRelatedListRecords.emit(mockGetRelatedListRecords);
      await flushPromises();

      const rows = [...$$(element, 'history-row')].map((row) =>
        [...row.querySelectorAll('th, td')].map((cell) => text(cell)),
      );
      expect(rows).toEqual([
        ['Ana Souza', 'WhatsApp Support BR', 'Unresolved: Refund pending', ''],
        ['Bruno Lima', 'WhatsApp Support BR', 'Follow-up needed', ''],
        [
          'Ana Souza',
          'WhatsApp Sales BR',
          'Wrap-up code id 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
          '',
        ],
      ]);
      // Every cell truncates inside a fixed-layout table, the full value on hover.
      expect($(element, 'history').classList).toContain('slds-table_fixed-layout');
      const titles = [...$$(element, 'history-row')].map(
        (row) => row.querySelector('td .slds-truncate').title,
      );
      expect(titles).toEqual(['WhatsApp Support BR', 'WhatsApp Support BR', 'WhatsApp Sales BR']);
      const endedAt = [...$$(element, 'history-row')].map(
        (row) => row.querySelector('lightning-formatted-date-time').value,
      );
      expect(endedAt).toEqual([
        '2026-11-20T14:05:12.000Z',
        '2026-11-12T09:31:47.000Z',
        '2026-10-28T16:02:09.000Z',
      ]);
      expect($(element, 'history').getAttribute('aria-label')).toBe(
        'Recent WhatsApp conversations, newest first',
      );
    });

    it('shows no more rows than historyRowCount', async () => {
      const element = createComponent({ historyRowCount: 2 });
      getRecord.emit(mockGetRecordContact);
      getRelatedListRecords.emit(mockGetRelatedListRecords);
      await flushPromises();

      expect($$(element, 'history-row')).toHaveLength(2);
    });

    it('says it is loading the history until the related list answers', async () => {
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      await flushPromises();

      expect(text($(element, 'history-loading'))).toBe('Loading recent conversations…');
    });
  });

  describe('getRelatedListRecords @wire error', () => {
    it('keeps the owner and reports the history error', async () => {
      const element = createComponent();
      getRecord.emit(mockGetRecordContact);
      getRelatedListRecords.error(
        { message: 'Insufficient access to Conversation Ownership' },
        403,
      );
      await flushPromises();

      expect(text($(element, 'agent'))).toBe('Ana Souza');
      expect($(element, 'history-error').classList).toContain('slds-scoped-notification');
      expect(text($(element, 'history-error-advice'))).toBe(
        'You do not have access to the continuity fields. Ask your Salesforce admin to assign the Continuity Bridge Agent permission set.',
      );
      expect(text($(element, 'history-error-detail'))).toBe(
        'Insufficient access to Conversation Ownership',
      );
      await expect(element).toBeAccessible();
    });
  });

  describe('on a Case page', () => {
    it('reads the Case Last_* fields and labels ids when names are missing', async () => {
      const element = createComponent({
        recordId: mockGetRecordCase.id,
        objectApiName: 'Case',
      });
      await flushPromises();
      expect(getRecord.getLastConfig().fields).toContain('Case.Last_Interaction_At__c');
      expect(getRelatedListRecords.getLastConfig().parentRecordId).toBe(mockGetRecordCase.id);

      getRecord.emit(mockGetRecordCase);
      getRelatedListRecords.emit(mockGetRelatedListRecordsNoRecords);
      await flushPromises();

      expect(text($(element, 'agent'))).toBe(
        'Genesys user id 0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f',
      );
      expect(text($(element, 'queue'))).toBe(
        'Genesys queue id 5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f',
      );
      expect(text($(element, 'wrapup'))).toBe('—');
      expect($(element, 'continuity-badge').label).toBe('Continuity active');
      await expect(element).toBeAccessible();
    });

    it('says "case" in the empty state', async () => {
      const element = createComponent({ objectApiName: 'Case' });
      getRecord.emit({ ...mockGetRecordContactNoOwnership, apiName: 'Case' });
      getRelatedListRecords.emit(mockGetRelatedListRecordsNoRecords);
      await flushPromises();

      expect(text($(element, 'empty'))).toContain('for this case yet');
    });
  });

  describe('on an unsupported page', () => {
    it('asks for no record and says where the card belongs', async () => {
      const element = createComponent({ objectApiName: 'Account' });
      await flushPromises();

      expect(text($(element, 'unsupported'))).toBe(
        'This card works on Contact and Case record pages only.',
      );
      expect($(element, 'loading')).toBeNull();
    });
  });
});
