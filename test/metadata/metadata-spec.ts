/**
 * What the metadata checks compare force-app against: the bridge's field
 * contract (src/adapters/salesforce/fields.salesforce.ts) and the names force-app ships.
 */
import type { SalesforceFieldSpec } from '../../src/adapters/salesforce/fields.salesforce.ts';
import { SALESFORCE_OBJECTS } from '../../src/adapters/salesforce/fields.salesforce.ts';

export interface ObjectSpec {
  readonly object: string;
  readonly fields: Readonly<Record<string, SalesforceFieldSpec>>;
}

/** The contract the metadata must satisfy (src/adapters/salesforce/fields.salesforce.ts). */
export const SPECS: readonly ObjectSpec[] = SALESFORCE_OBJECTS;

export const INTEGRATION_PERMISSION_SET = 'Continuity_Bridge_Integration';
export const AGENT_PERMISSION_SET = 'Continuity_Bridge_Agent';
export const CONTACT_CREATION_PERMISSION_SET = 'Continuity_Bridge_Contact_Creation';
export const PRIVACY_PERMISSION_SET = 'Continuity_Bridge_Privacy';
/** The system permission behind Bulk API 2.0 `hardDelete` (hard-delete.salesforce.ts). */
export const HARD_DELETE_PERMISSION = 'BulkApiHardDelete';

/** Standard objects the metadata may name without shipping them. */
export const STANDARD_OBJECTS = new Set(['Account', 'Contact', 'Case', 'User']);

/** Field key as permission sets write it: `Object.Field__c`. */
export const fieldKey = (object: string, field: string): string => `${object}.${field}`;
