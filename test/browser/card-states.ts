/**
 * The states an agent can see the card in, built from the LWC test data
 * (force-app/.../__tests__/data, UI API shapes) so the browser and the jest
 * tests render the same records.
 */
import { readFileSync } from 'node:fs';

const data = (name: string) =>
  JSON.parse(
    readFileSync(
      new URL(
        `../../force-app/main/default/lwc/continuityOwner/__tests__/data/${name}.json`,
        import.meta.url,
      ),
      'utf8',
    ),
  ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The clock of the page: three days after the Contact's last interaction. */
export const PAGE_TIME = '2026-11-23T14:00:00.000Z';

export interface CardState {
  readonly name: string;
  /** What the PNG shows, for the closing note and screenshots.json. */
  readonly description: string;
  readonly props?: Record<string, unknown>;
  /** A UI API record, `{error}` or 'pending'. */
  readonly record: unknown;
  readonly history: unknown;
  /** Page clock, default PAGE_TIME. */
  readonly now?: string;
  /** Click the notes toggle before measuring. */
  readonly expandNotes?: boolean;
}

const contact = data('getRecordContact');
const history = data('getRelatedListRecords');
const noHistory = data('getRelatedListRecordsNoRecords');
const accessError = {
  error: {
    status: 403,
    statusText: 'Forbidden',
    body: [
      {
        errorCode: 'INSUFFICIENT_ACCESS',
        message: 'You do not have access to the Last_Notes__c field',
      },
    ],
  },
};

function withLongValues(): { record: unknown; history: unknown } {
  const record = structuredClone(contact);
  const long = 'Atendimento Especializado em Cobrança e Estornos Internacionais — Brasil Sudeste';
  record.fields.Last_Agent_Name__c.value =
    'Maria Aparecida dos Santos Oliveira Pereira da Conceição';
  record.fields.Last_Queue_Name__c.value = long;
  record.fields.Last_Wrapup_Name__c.value =
    'Estorno pendente — aguardando aprovação do supervisor de cobrança';
  record.fields.Last_Context__c.value = JSON.stringify({
    intent: 'refund_international_card_statement_dispute',
    orderNumber: 'BR-2026-000000778-PEDIDO-COMPLEMENTAR-SEM-ESPACOS-0000000000',
  });
  const rows = structuredClone(history);
  for (const row of rows.records) {
    row.fields.Agent_Name__c.value = record.fields.Last_Agent_Name__c.value;
    row.fields.Queue_Name__c.value = long;
    row.fields.Wrapup_Name__c.value = record.fields.Last_Wrapup_Name__c.value;
  }
  return { record, history: rows };
}

export const CARD_STATES: readonly CardState[] = [
  {
    name: 'loading',
    description: 'Before the record answers: one labelled spinner.',
    record: 'pending',
    history: 'pending',
  },
  {
    name: 'owner-unresolved',
    description:
      'A Contact whose last WhatsApp conversation ended unresolved: Continuity active and Unresolved badges, agent, queue, channel, relative and exact time on two lines, outcome, folded notes with "Show all notes", context attributes, three history rows in a fixed-layout table.',
    record: contact,
    history,
  },
  {
    name: 'owner-notes-expanded',
    description:
      'The same Contact after the agent clicked "Show all notes": the whole notes, "Show less".',
    record: contact,
    history,
    expandNotes: true,
  },
  {
    name: 'stale',
    description:
      'Fifteen days later: the "Stale: next message starts afresh" badge and why, the unresolved mark kept.',
    record: contact,
    history,
    now: '2026-12-05T14:00:00.000Z',
  },
  {
    name: 'case-ids-only',
    description:
      'A Case recorded without Genesys credentials: ids appear only with a label saying what they are ("Genesys user id …").',
    props: { recordId: '500xx000001AbCdAAK', objectApiName: 'Case' },
    record: data('getRecordCase'),
    history: noHistory,
  },
  {
    name: 'long-values',
    description:
      'Long Portuguese names, queue, outcome and context values: everything truncates inside the card (full value on hover), nothing spills.',
    ...withLongValues(),
  },
  {
    name: 'empty',
    description: 'No conversation recorded yet: one empty state, said once.',
    record: data('getRecordContactNoOwnership'),
    history: noHistory,
  },
  {
    name: 'error',
    description:
      'The agent lacks access: an SLDS scoped notification in plain words, the raw message labelled for the admin.',
    record: accessError,
    history: 'pending',
  },
  {
    name: 'history-error',
    description:
      'The owner loads but the history does not: the owner stays, the history says why in a scoped notification.',
    record: contact,
    history: accessError,
  },
  {
    name: 'unsupported',
    description: 'Placed on an Account page: says where the card belongs.',
    props: { objectApiName: 'Account' },
    record: 'pending',
    history: 'pending',
  },
];
