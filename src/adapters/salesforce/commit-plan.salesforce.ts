import { customerKeyId, type CustomerKey } from '../../domain/customer-key.ts';
import {
  compareVersions,
  supersedes,
  type Ownership,
  type OwnershipVersion,
} from '../../domain/ownership.ts';
import type { OwnershipChange } from '../../ports/ownership-store.port.ts';
import { isCaseId } from './names.salesforce.ts';
import { moves, namesAnotherCustomer, newest } from './commit-rules.salesforce.ts';

/**
 * The pure decision of a commit batch: given the changes and what Salesforce
 * holds (read in one composite call), which records to write. No I/O here.
 *
 * - Changes for the same conversation collapse to the newest version.
 * - A history row is written when its version is >= the stored row's (a replay
 *   rewrites the same values; an older re-derivation never overwrites).
 * - Per customer, only the newest written change may move the owner, and only
 *   when it supersedes the stored owner (the Contact's `Last_*`, or for a
 *   customer without a Contact the newest history row) — or replays it exactly.
 *   That change is `applied`: it updates the Contact and the Case; the rest are
 *   `superseded` (history only).
 */

/** sObject Collections take 200 records a request; history rows and links share one. */
const MAX_HISTORY_RECORDS = 200;

export type UnknownCustomerMode = 'history_only' | 'create_contact';

export interface StoredContact {
  readonly id: string;
  readonly vip: boolean;
  readonly openCase: { readonly id: string; readonly number: string } | null;
  /** The `Last_*` copy: its version is the stored owner's. */
  readonly last: Ownership | null;
  /** History rows from the Contact's subquery, newest first. */
  readonly history: readonly Ownership[];
  /** The keys the Contact holds (number, user id), canonical: one customer, however named. */
  readonly keys?: readonly CustomerKey[];
}

export interface StoredState {
  /** Contacts by `customerKeyId`. */
  readonly contacts: ReadonlyMap<string, StoredContact>;
  /** `Ended_At__c` of existing history rows, by conversation id. */
  readonly historyEndedAt: ReadonlyMap<string, number>;
  /** History rows without a Contact, by `customerKeyId`. */
  readonly orphanHistory: ReadonlyMap<string, readonly Ownership[]>;
  /**
   * True when a read of Contact-less history hit its row limit: a customer of
   * the batch may then be missing rows (the store splits the batch and reads again).
   */
  readonly orphansTruncated?: boolean;
  /** Keys (`customerKeyId`) matching more than one Contact; the first created is used. */
  readonly duplicateContacts?: readonly string[];
  /** The customer each existing history row names (any form of its key), by conversation id. */
  readonly historyKeys?: ReadonlyMap<string, { readonly phone: string; readonly bsuid: string }>;
  /** The version of each known Case's own `Last_*` copy, by Case Id. */
  readonly cases?: ReadonlyMap<string, OwnershipVersion>;
}

export interface HistoryWrite {
  readonly ownership: Ownership;
  readonly key: CustomerKey;
  /** Contact Id for `Contact__c`, when the customer has a Contact. */
  readonly contactId: string | null;
  /** Link by the Contact's external id instead (its Contact is created in the same call). */
  readonly contactKey: CustomerKey | null;
  readonly caseId: string | null;
}

export interface OwnerWrite {
  /** Contact or Case Id. */
  readonly id: string;
  readonly ownership: Ownership;
}

/** A Contact-less history row to link to the customer's Contact (by conversation id). */
export interface HistoryLink {
  readonly conversationId: string;
  readonly contactId: string;
}

export interface ContactCreate {
  readonly key: CustomerKey;
  readonly ownership: Ownership;
}

export type WriteRef =
  | { readonly kind: 'history'; readonly index: number }
  | { readonly kind: 'historyLink'; readonly index: number }
  | { readonly kind: 'contactUpdate'; readonly index: number }
  | { readonly kind: 'contactCreate'; readonly index: number }
  | { readonly kind: 'caseUpdate'; readonly index: number };

export interface PlannedSlot {
  readonly key: CustomerKey;
  readonly contact: StoredContact | null;
  /** What Salesforce already holds for this customer. */
  readonly stored: readonly Ownership[];
  /** Ownerships this batch writes to history, with the write holding each. */
  readonly written: ReadonlyArray<{ readonly ownership: Ownership; readonly history: number }>;
  /** Index into `contactCreates` when this batch creates the customer's Contact. */
  readonly create: number | null;
}

export interface PlannedChange {
  readonly slot: string;
  /**
   * `conflict`: the conversation is recorded for another customer; it stays
   * with the first (nothing is written, the change fails for good, flagged).
   */
  readonly status: 'applied' | 'superseded' | 'conflict';
  /** Every write this change's result depends on. */
  readonly writes: readonly WriteRef[];
}

export interface CommitPlan {
  readonly history: readonly HistoryWrite[];
  /** Rows written before the customer's Contact existed, linked to it now. */
  readonly historyLinks: readonly HistoryLink[];
  readonly contactUpdates: readonly OwnerWrite[];
  readonly contactCreates: readonly ContactCreate[];
  readonly caseUpdates: readonly OwnerWrite[];
  /** Same order as the input changes. */
  readonly changes: readonly PlannedChange[];
  readonly slots: ReadonlyMap<string, PlannedSlot>;
}

export function planCommit(
  changes: readonly OwnershipChange[],
  state: StoredState,
  mode: UnknownCustomerMode,
): CommitPlan {
  // 1. One representative (the newest version) per conversation.
  const representative = new Map<string, number>();
  changes.forEach((change, index) => {
    const id = change.ownership.conversationId;
    const seen = representative.get(id);
    const current = seen === undefined ? undefined : changes[seen];
    if (!current || compareVersions(change.ownership, current.ownership) > 0) {
      representative.set(id, index);
    }
  });

  // 2. Customers ("slots"): by Contact Id when one exists, so a phone key and a
  //    BSUID of the same Contact never produce two updates of one record.
  const slotOf = (change: OwnershipChange) => {
    const contact = state.contacts.get(customerKeyId(change.key));
    return contact ? `contact:${contact.id}` : `key:${customerKeyId(change.key)}`;
  };
  const slotIds = changes.map(slotOf);

  // 3. Which representatives write their history row, and each slot's winner.
  const writesHistory = new Set<number>();
  const winner = new Map<string, number>();
  const conflicts = new Set<string>();
  for (const index of representative.values()) {
    const { ownership, key } = changes[index]!;
    if (namesAnotherCustomer(key, state.historyKeys?.get(ownership.conversationId))) {
      conflicts.add(ownership.conversationId);
      continue;
    }
    const storedEnd = state.historyEndedAt.get(ownership.conversationId);
    if (storedEnd !== undefined && ownership.endedAt < storedEnd) continue;
    writesHistory.add(index);
    const slot = slotIds[index]!;
    const best = winner.get(slot);
    if (best === undefined || compareVersions(ownership, changes[best]!.ownership) > 0) {
      winner.set(slot, index);
    }
  }

  // 4. Owner writes for winners that move the stored owner.
  const slots = new Map<
    string,
    PlannedSlot & { written: Array<{ ownership: Ownership; history: number }> }
  >();
  const contactUpdates: OwnerWrite[] = [];
  const contactCreates: ContactCreate[] = [];
  const caseByIdIndex = new Map<string, { index: number; change: number }>();
  const caseUpdates: OwnerWrite[] = [];
  const applied = new Map<number, WriteRef[]>();
  const historyLinks: HistoryLink[] = [];
  changes.forEach((change, index) => {
    const slot = slotIds[index]!;
    if (slots.has(slot)) return;
    const contact = state.contacts.get(customerKeyId(change.key)) ?? null;
    // Rows written before the Contact existed still count (the stored owner may
    // be one of them) until they are linked below.
    const orphans = state.orphanHistory.get(customerKeyId(change.key)) ?? [];
    const stored = contact
      ? [...contact.history, ...(contact.last ? [contact.last] : []), ...orphans]
      : [...orphans];
    const storedOwner = contact
      ? newest([...(contact.last ? [contact.last] : []), ...orphans])
      : newest(stored);
    if (contact) {
      for (const orphan of orphans) {
        historyLinks.push({ conversationId: orphan.conversationId, contactId: contact.id });
      }
    }
    const winning = winner.get(slot);
    let create: number | null = null;
    if (winning !== undefined && moves(changes[winning]!.ownership, storedOwner)) {
      const { ownership } = changes[winning]!;
      const refs: WriteRef[] = [];
      if (contact) {
        refs.push({ kind: 'contactUpdate', index: contactUpdates.length });
        contactUpdates.push({ id: contact.id, ownership });
      } else if (mode === 'create_contact') {
        create = contactCreates.length;
        refs.push({ kind: 'contactCreate', index: create });
        contactCreates.push({ key: change.key, ownership });
      }
      const caseId = isCaseId(ownership.caseId)
        ? ownership.caseId
        : (contact?.openCase?.id ?? null);
      // The Case's Last_* only move forward too, by their own stored version
      // (two customers may name one Case).
      const caseVersion = caseId ? (state.cases?.get(caseId) ?? null) : null;
      if (caseId && moves(ownership, caseVersion)) {
        // Two customers naming one Case in one batch: the newest ownership writes it.
        const prior = caseByIdIndex.get(caseId);
        const priorOwnership = prior && caseUpdates[prior.index]!.ownership;
        if (!priorOwnership || compareVersions(ownership, priorOwnership) > 0) {
          const index = prior?.index ?? caseUpdates.length;
          caseUpdates[index] = { id: caseId, ownership };
          if (prior) applied.get(prior.change)?.splice(-1, 1);
          caseByIdIndex.set(caseId, { index, change: winning });
          refs.push({ kind: 'caseUpdate', index });
        }
      }
      applied.set(winning, refs);
    } else if (contact && storedOwner && supersedes(storedOwner, contact.last)) {
      // The owner is a row written before the Contact existed: the Contact's
      // Last_* (what agents see on the card) catch up with it.
      contactUpdates.push({ id: contact.id, ownership: storedOwner });
    }
    slots.set(slot, { key: change.key, contact, stored, written: [], create });
  });

  // 5. History rows, linked to the Contact (by Id, or by external id when the
  //    same call creates it) and to the conversation's Case.
  const history: HistoryWrite[] = [];
  const historyIndex = new Map<number, number>();
  for (const index of [...writesHistory].sort((a, b) => a - b)) {
    const change = changes[index]!;
    const slot = slots.get(slotIds[index]!)!;
    const { ownership } = change;
    const caseId = isCaseId(ownership.caseId)
      ? ownership.caseId
      : (slot.contact?.openCase?.id ?? null);
    historyIndex.set(index, history.length);
    slot.written.push({ ownership, history: history.length });
    history.push({
      ownership,
      key: change.key,
      contactId: slot.contact?.id ?? null,
      contactKey: slot.create === null ? null : slot.key,
      caseId,
    });
  }

  // 6. Each change's status and the writes its result depends on.
  const planned = changes.map((change, index): PlannedChange => {
    if (conflicts.has(change.ownership.conversationId)) {
      return { slot: slotIds[index]!, status: 'conflict', writes: [] };
    }
    const rep = representative.get(change.ownership.conversationId)!;
    const row = historyIndex.get(rep);
    const writes: WriteRef[] = row === undefined ? [] : [{ kind: 'history', index: row }];
    const owner = rep === index ? applied.get(index) : undefined;
    if (owner) writes.push(...owner);
    return { slot: slotIds[index]!, status: owner ? 'applied' : 'superseded', writes };
  });

  // Links share the history collection (200 records): what does not fit waits
  // for a later commit and is counted as Contact-less until then. A row this
  // batch rewrites is linked by its own write.
  const rewritten = new Set(history.map((h) => h.ownership.conversationId));
  const links = historyLinks
    .filter((link) => !rewritten.has(link.conversationId))
    .slice(0, Math.max(0, MAX_HISTORY_RECORDS - history.length));
  return {
    history,
    historyLinks: links,
    contactUpdates,
    contactCreates,
    caseUpdates,
    changes: planned,
    slots,
  };
}
