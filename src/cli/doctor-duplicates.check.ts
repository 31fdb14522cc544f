import { z } from 'zod';
import { CONTACT } from '../adapters/salesforce/fields.salesforce.ts';
import { soqlInList, soqlLiteral } from '../adapters/salesforce/soql.salesforce.ts';
import { maskCustomerKey, maskDigits, normalizeAddress } from '../domain/customer-key.ts';
import { safeMessage } from './cli-io.ts';
import type { Answer } from './doctor-http.ts';
import { ok, warn, type CheckResult } from './doctor-report.ts';

const AREA = 'salesforce';
const NUMBER = CONTACT.fields.whatsAppNumber.name;
const USER_ID = CONTACT.fields.whatsAppUserId.name;

/** Keys listed per kind of duplicate; the count says how many more there are. */
export const DUPLICATES_LISTED = 20;
/** Numbers in an older form (Brazil without the ninth digit, Mexico's `521`) read per run. */
export const OLD_FORMS_READ = 200;

/**
 * An aggregate query's rows are AggregateResult records with one field per
 * SELECT item, named by its alias (Salesforce SOAP API Developer Guide,
 * "AggregateResult"; SOQL reference, "Using Aliases with GROUP BY"). Extra keys
 * (`attributes`) are ignored.
 */
const grouped = (field: string) =>
  z.object({
    records: z.array(z.object({ [field]: z.string().nullable(), n: z.number() })),
  });
const Rows = z.object({
  records: z.array(z.object({ Id: z.string(), [NUMBER]: z.string().nullable() })),
});

const groupQuery = (field: string) =>
  `SELECT ${field}, COUNT(Id) n FROM ${CONTACT.object} WHERE ${field} != null` +
  ` GROUP BY ${field} HAVING COUNT(Id) > 1 ORDER BY ${field} LIMIT ${DUPLICATES_LISTED + 1}`;

// Twelve digits after 55 (Brazil without the ninth digit, landlines too: told
// apart in code) and thirteen starting 521 (Mexico's WhatsApp form).
const oldFormsQuery = () =>
  `SELECT Id, ${NUMBER} FROM ${CONTACT.object} WHERE ${NUMBER} LIKE ${soqlLiteral('55__________')}` +
  ` OR ${NUMBER} LIKE ${soqlLiteral('521__________')} ORDER BY ${NUMBER} LIMIT ${OLD_FORMS_READ}`;

const currentFormsQuery = (numbers: readonly string[]) =>
  `SELECT Id, ${NUMBER} FROM ${CONTACT.object} WHERE ${NUMBER} IN ${soqlInList(numbers)} LIMIT ${OLD_FORMS_READ}`;

type Query = (soql: string) => Promise<Answer>;

const listed = (masked: readonly string[]) =>
  masked.slice(0, DUPLICATES_LISTED).join(', ') +
  (masked.length > DUPLICATES_LISTED ? ' and more' : '');

/**
 * Several Contacts for one customer (an org without the uniqueness flag on a
 * key field, or one number stored in two forms): the bridge reads and writes
 * the first created and logs a warning; this lists them for an admin to merge.
 * Bounded: two aggregate queries of at most 21 rows, one read of at most 200
 * numbers in an older form, and one read of their current forms.
 */
export async function checkDuplicateContacts(query: Query): Promise<CheckResult> {
  try {
    const found: string[] = [];
    let more = false;
    for (const [field, mask] of [
      [NUMBER, (v: string) => maskDigits(v)],
      [USER_ID, (v: string) => maskCustomerKey({ kind: 'bsuid', value: v })],
    ] as const) {
      const rows = grouped(field).parse((await ok200(query(groupQuery(field)))).body).records;
      // One row past the limit only says there are more.
      if (rows.length > DUPLICATES_LISTED) more = true;
      rows.splice(DUPLICATES_LISTED);
      found.push(...rows.map((r) => `${mask(String(r[field] ?? ''))} (${r.n} Contacts, ${field})`));
    }
    const old = Rows.parse((await ok200(query(oldFormsQuery()))).body).records;
    const current = new Map<string, string>();
    for (const row of old) {
      const value = row[NUMBER] ?? '';
      const key = normalizeAddress(value);
      if (key.ok && key.key.kind === 'phone' && key.key.value !== value) {
        current.set(key.key.value, value);
      }
    }
    if (current.size > 0) {
      const twins = Rows.parse(
        (await ok200(query(currentFormsQuery([...current.keys()])))).body,
      ).records;
      for (const row of twins) {
        const value = row[NUMBER] ?? '';
        if (current.has(value)) {
          found.push(`${maskDigits(value)} (stored in two forms)`);
        }
      }
    }
    if (found.length === 0) return ok(AREA, 'no customer key is held by several Contacts');
    return warn(
      AREA,
      `${more ? 'more than ' : ''}${found.length} customer key(s) held by several Contacts: ${listed(found)}${more && found.length <= DUPLICATES_LISTED ? ' and more' : ''}; the bridge uses the first created`,
      `merge each set of Contacts (Contacts → Merge), store numbers in the current form (docs/salesforce-admin.md) and keep ${NUMBER} and ${USER_ID} unique`,
    );
  } catch (error) {
    return warn(AREA, `could not look for duplicate Contacts: ${safeMessage(error)}`);
  }
}

async function ok200(pending: Promise<Answer>): Promise<Answer> {
  const answer = await pending;
  if (answer.status !== 200) throw new Error(`query answered HTTP ${answer.status}`);
  return answer;
}
