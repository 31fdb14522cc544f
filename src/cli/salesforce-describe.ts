import { z } from 'zod';
import {
  CONTACT,
  CONVERSATION_OWNERSHIP,
  OWNERSHIP_SOURCES,
  type SALESFORCE_OBJECTS,
  type SalesforceFieldSpec,
  type SalesforceFieldType,
} from '../adapters/salesforce/fields.salesforce.ts';
import { fail, ok, type CheckResult } from './doctor-report.ts';

/** The parts of `GET /services/data/vXX.X/sobjects/{Object}/describe` doctor reads. */
export const DescribeField = z.looseObject({
  name: z.string(),
  type: z.string(),
  length: z.number().optional(),
  referenceTo: z.array(z.string()).optional(),
  externalId: z.boolean().optional(),
  createable: z.boolean().optional(),
  updateable: z.boolean().optional(),
  picklistValues: z
    .array(z.looseObject({ value: z.string(), active: z.boolean().optional() }))
    .optional(),
});
export type DescribeField = z.output<typeof DescribeField>;

export const DescribeSObject = z.looseObject({
  name: z.string(),
  fields: z.array(DescribeField),
  childRelationships: z
    .array(
      z.looseObject({
        childSObject: z.string(),
        relationshipName: z.string().nullable().optional(),
      }),
    )
    .optional(),
});
export type DescribeSObject = z.output<typeof DescribeSObject>;

/** `GET /services/data/`: the API versions the org serves. */
export const ApiVersions = z.array(
  z.looseObject({ version: z.string(), url: z.string(), label: z.string().optional() }),
);

/** Describe `type` values that satisfy each field type of the contract. */
const DESCRIBE_TYPES: Record<SalesforceFieldType, readonly string[]> = {
  Text: ['string'],
  LongTextArea: ['textarea'],
  DateTime: ['datetime'],
  Number: ['double', 'int', 'long'],
  Checkbox: ['boolean'],
  Lookup: ['reference'],
  Picklist: ['picklist'],
};

export const DEPLOY_FIX =
  'deploy force-app (sf project deploy start --source-dir force-app) and assign the Continuity_Bridge_Integration permission set to the integration user: a field it has no access to is invisible to the API (docs/salesforce-admin.md)';

/** The fields of one object the bridge uses, with the VIP field as configured. */
export function specsFor(
  object: (typeof SALESFORCE_OBJECTS)[number],
  vipField: string,
): SalesforceFieldSpec[] {
  return Object.entries(object.fields).map(([key, spec]) =>
    object.object === CONTACT.object && key === 'vip' ? { ...spec, name: vipField } : spec,
  );
}

/** What is wrong with one field on the org, empty when it fits the contract. */
export function fieldProblems(
  objectName: string,
  spec: SalesforceFieldSpec,
  field: DescribeField | undefined,
  createsContacts = false,
): string[] {
  const name = `${objectName}.${spec.name}`;
  if (!field) return [`${name} is missing (or not visible to the integration user)`];
  const problems: string[] = [];
  if (!DESCRIBE_TYPES[spec.type].includes(field.type)) {
    problems.push(`${name} is of type ${field.type}; the bridge needs ${spec.type}`);
  }
  if (spec.length !== undefined && field.length !== undefined && field.length < spec.length) {
    problems.push(`${name} holds ${field.length} characters; the bridge needs ${spec.length}`);
  }
  if (spec.referenceTo && !(field.referenceTo ?? []).includes(spec.referenceTo)) {
    problems.push(`${name} does not look up ${spec.referenceTo}`);
  }
  if (spec.externalId && field.externalId === false) {
    problems.push(`${name} is not an External ID (the bridge upserts by it)`);
  }
  if (spec.writes && field.createable === false && field.updateable === false) {
    problems.push(`${name} is read-only for the integration user (the bridge writes it)`);
  }
  if (spec.writtenOnCreate && createsContacts && field.createable === false) {
    problems.push(
      `${name} cannot be set on a new Contact (UNKNOWN_CUSTOMER=create_contact): assign the Continuity_Bridge_Contact_Creation permission set`,
    );
  }
  if (spec.type === 'Picklist' && field.picklistValues && name.endsWith('.Source__c')) {
    const active = field.picklistValues.filter((v) => v.active !== false).map((v) => v.value);
    const missing = OWNERSHIP_SOURCES.filter((value) => !active.includes(value));
    if (missing.length > 0)
      problems.push(`${name} lacks the picklist value(s) ${missing.join(', ')}`);
  }
  return problems;
}

/** Every field of one object checked against its describe: one ✔ line, or a ✖ per problem. */
export function describeChecks(
  object: (typeof SALESFORCE_OBJECTS)[number],
  describe: DescribeSObject,
  vipField: string,
  createsContacts = false,
): CheckResult[] {
  const byName = new Map(describe.fields.map((field) => [field.name.toLowerCase(), field]));
  const specs = specsFor(object, vipField);
  const problems = specs.flatMap((spec) =>
    fieldProblems(object.object, spec, byName.get(spec.name.toLowerCase()), createsContacts),
  );
  const relationship =
    object.object === CONVERSATION_OWNERSHIP.object
      ? null
      : CONVERSATION_OWNERSHIP.contactRelationship;
  if (relationship && describe.childRelationships) {
    const found = describe.childRelationships.some(
      (r) =>
        r.childSObject === CONVERSATION_OWNERSHIP.object && r.relationshipName === relationship,
    );
    if (!found) {
      problems.push(
        `${object.object} has no child relationship ${relationship} from ${CONVERSATION_OWNERSHIP.object}`,
      );
    }
  }
  if (problems.length === 0) {
    return [ok('salesforce', `${object.object} has the ${specs.length} fields the bridge uses`)];
  }
  return problems.map((problem) => fail('salesforce', problem, DEPLOY_FIX));
}
