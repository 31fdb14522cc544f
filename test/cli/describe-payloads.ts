import {
  CONVERSATION_OWNERSHIP,
  OWNERSHIP_SOURCES,
  SALESFORCE_OBJECTS,
  type SalesforceFieldSpec,
} from '../../src/adapters/salesforce/fields.salesforce.ts';

/**
 * `GET /services/data/vXX.X/sobjects/{Object}/describe` bodies for an org where
 * force-app is deployed and the integration permission set assigned. Field
 * properties as the REST API documents them (DescribeSObjectResult /
 * Field: name, type, length, referenceTo, externalId, createable, updateable,
 * picklistValues); a real describe has many more properties, all ignored.
 */
const DESCRIBE_TYPE: Record<SalesforceFieldSpec['type'], string> = {
  Text: 'string',
  LongTextArea: 'textarea',
  DateTime: 'datetime',
  Number: 'double',
  Checkbox: 'boolean',
  Lookup: 'reference',
  Picklist: 'picklist',
};

export function describeField(spec: SalesforceFieldSpec): Record<string, unknown> {
  return {
    name: spec.name,
    label: spec.name.replace(/__c$/, '').replace(/_/g, ' '),
    type: DESCRIBE_TYPE[spec.type],
    length: spec.type === 'Text' || spec.type === 'LongTextArea' ? (spec.length ?? 255) : 0,
    referenceTo: spec.referenceTo ? [spec.referenceTo] : [],
    externalId: spec.externalId === true,
    createable: spec.writes,
    updateable: spec.writes,
    custom: true,
    picklistValues:
      spec.type === 'Picklist'
        ? OWNERSHIP_SOURCES.map((value) => ({
            value,
            label: value,
            active: true,
            defaultValue: false,
          }))
        : [],
  };
}

export type ObjectName = (typeof SALESFORCE_OBJECTS)[number]['object'];

/** A describe with every contract field, plus Id/Name and the child relationship. */
export function describeBody(
  objectName: ObjectName,
  edit: (fields: Array<Record<string, unknown>>) => Array<Record<string, unknown>> = (f) => f,
): Record<string, unknown> {
  const object = SALESFORCE_OBJECTS.find((o) => o.object === objectName);
  if (!object) throw new Error(objectName);
  const fields = [
    { name: 'Id', type: 'id', length: 18, createable: false, updateable: false },
    { name: 'Name', type: 'string', length: 80, createable: true, updateable: true },
    ...Object.values(object.fields).map((spec) => describeField(spec)),
  ];
  return {
    name: object.object,
    label: object.object,
    custom: object.object.endsWith('__c'),
    fields: edit(fields),
    childRelationships:
      object.object === CONVERSATION_OWNERSHIP.object
        ? []
        : [
            {
              childSObject: CONVERSATION_OWNERSHIP.object,
              field: object.object === 'Contact' ? 'Contact__c' : 'Case__c',
              relationshipName: CONVERSATION_OWNERSHIP.contactRelationship,
            },
          ],
  };
}
