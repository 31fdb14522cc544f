import { keyForms, type CustomerKey } from '../../domain/customer-key.ts';
import {
  compareVersions,
  supersedes,
  type Ownership,
  type OwnershipVersion,
} from '../../domain/ownership.ts';

/** The comparisons `planCommit` decides with (pure). */

/** True when a stored history row names a customer other than `key` (any form counts as the same). */
export function namesAnotherCustomer(
  key: CustomerKey,
  stored: { readonly phone: string; readonly bsuid: string } | undefined,
): boolean {
  if (!stored) return false;
  const held = key.kind === 'phone' ? stored.phone : stored.bsuid.toLowerCase();
  if (held === '') return false;
  const forms = keyForms(key).map((form) => (key.kind === 'phone' ? form : form.toLowerCase()));
  return !forms.includes(held);
}

/** Ownership moves forward, or an exact replay of the stored owner rewrites it. */
export function moves(candidate: OwnershipVersion, stored: OwnershipVersion | null): boolean {
  if (supersedes(candidate, stored)) return true;
  return stored !== null && compareVersions(candidate, stored) === 0;
}

export const newest = (list: readonly Ownership[]): Ownership | null =>
  list.reduce<Ownership | null>(
    (best, o) => (best && compareVersions(best, o) >= 0 ? best : o),
    null,
  );
