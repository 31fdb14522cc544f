/**
 * Offline rules for `force-app`, the part of "does it deploy?" that SDR's lenient
 * conversion does not prove. Every check is a pure function of the model and
 * returns human-readable problems (empty = fine), so a test can run it on a
 * modified copy and show that it catches the mistake.
 */
import type { SalesforceFieldSpec } from '../../src/adapters/salesforce/fields.salesforce.ts';
import {
  CONVERSATION_OWNERSHIP,
  OWNERSHIP_SOURCES,
} from '../../src/adapters/salesforce/fields.salesforce.ts';
import type { ForceAppModel, XmlFile } from '../support/force-app-model.ts';
import type { ObjectSpec } from './metadata-spec.ts';
import { SPECS, STANDARD_OBJECTS, fieldKey } from './metadata-spec.ts';
import {
  checkAgentPermissionSet,
  checkContactCreationPermissionSet,
  checkElementOrder,
  checkIntegrationPermissionSet,
  checkPermissionSetCoverage,
  checkPrivacyPermissionSet,
} from './permission-set-checks.ts';
import { xmlProblem } from '../support/metadata-xml.ts';

export * from './metadata-spec.ts';
export * from './permission-set-checks.ts';

/** Standard fields and list-view column tokens every custom object has. */
const STANDARD_FIELDS = new Set([
  'Name',
  'OwnerId',
  'CreatedById',
  'CreatedDate',
  'LastModifiedById',
  'LastModifiedDate',
  'NAME',
  'CREATED_DATE',
  'LAST_UPDATE',
  'OWNER.ALIAS',
]);

/** Metadata types that satisfy each contract type. */
const COMPATIBLE_TYPES: Record<SalesforceFieldSpec['type'], readonly string[]> = {
  Text: ['Text'],
  LongTextArea: ['LongTextArea'],
  DateTime: ['DateTime'],
  Number: ['Number'],
  Checkbox: ['Checkbox'],
  Lookup: ['Lookup'],
  Picklist: ['Picklist'],
};

/** Picklists whose values are part of the contract. */
const PICKLISTS: Record<string, readonly string[]> = {
  [`${CONVERSATION_OWNERSHIP.object}.${CONVERSATION_OWNERSHIP.fields.source.name}`]:
    OWNERSHIP_SOURCES,
};

/** Every file must be well formed: SDR alone would accept a truncated one. */
export function checkWellFormed(files: readonly XmlFile[]): string[] {
  return files.flatMap(({ path, xml }) => {
    const problem = xmlProblem(xml);
    return problem ? [`${path} is not well-formed XML: ${problem}`] : [];
  });
}

/** `fullName`, where the format has one, must equal the file name. */
export function checkFullNames(model: ForceAppModel): string[] {
  const problems: string[] = [];
  for (const object of Object.values(model.objects)) {
    for (const field of Object.values(object.fields)) {
      if (field.fullName !== field.name) {
        problems.push(
          `${field.file}: fullName '${field.fullName}' differs from the file name '${field.name}'`,
        );
      }
    }
  }
  for (const view of model.views) {
    if (view.fullName && view.fullName !== view.name) {
      problems.push(
        `${view.file}: fullName '${view.fullName}' differs from the file name '${view.name}'`,
      );
    }
  }
  return problems;
}

/** Every bundle's apiVersion equals sfdx-project.json's sourceApiVersion. */
export function checkApiVersions(model: ForceAppModel, sourceApiVersion: string): string[] {
  return model.bundles
    .filter((bundle) => bundle.apiVersion !== sourceApiVersion)
    .map(
      (b) =>
        `${b.file}: apiVersion '${b.apiVersion}' differs from sourceApiVersion '${sourceApiVersion}'`,
    );
}

/** Every field is explained to admins and optional (the bridge writes partial rows). */
export function checkFieldDocs(model: ForceAppModel): string[] {
  const problems: string[] = [];
  for (const object of Object.values(model.objects)) {
    for (const f of Object.values(object.fields)) {
      for (const part of ['label', 'description', 'inlineHelpText'] as const) {
        if (!f[part].trim()) problems.push(`${f.file}: missing ${part}`);
      }
      if (f.required) problems.push(`${f.file}: must not be required`);
    }
  }
  return problems;
}

/**
 * Each field the bridge uses exists in force-app with a compatible type:
 * Text at least as long as the contract, keys External ID + Unique, Lookups
 * to the right object, picklists with the contract's values.
 */
export function checkFieldParity(
  model: ForceAppModel,
  specs: readonly ObjectSpec[] = SPECS,
): string[] {
  const problems: string[] = [];
  for (const spec of specs) {
    for (const f of Object.values(spec.fields)) {
      const key = fieldKey(spec.object, f.name);
      const where = `objects/${spec.object}/fields/${f.name}.field-meta.xml`;
      const meta = model.objects[spec.object]?.fields[f.name];
      if (!meta) {
        problems.push(
          `${key} is used by the bridge but missing from force-app (expected ${where})`,
        );
        continue;
      }
      if (!COMPATIBLE_TYPES[f.type].includes(meta.type)) {
        problems.push(
          `${key}: type ${meta.type || '(none)'} is not compatible with ${f.type} (${where})`,
        );
      }
      if (f.length !== undefined && (meta.length ?? 0) < f.length) {
        problems.push(
          `${key}: length ${meta.length ?? '(none)'} is shorter than the ${f.length} the bridge needs (${where})`,
        );
      }
      if (f.externalId && !(meta.externalId && meta.unique)) {
        problems.push(
          `${key}: the bridge upserts by it, so it must be External ID and Unique (${where})`,
        );
      }
      if (f.referenceTo !== undefined && meta.referenceTo !== f.referenceTo) {
        problems.push(
          `${key}: Lookup must reference ${f.referenceTo}, not ${meta.referenceTo || '(none)'} (${where})`,
        );
      }
      const values = PICKLISTS[key];
      if (values) {
        const missing = values.filter((v) => !meta.picklistValues.includes(v));
        if (missing.length)
          problems.push(`${key}: picklist lacks value(s) ${missing.join(', ')} (${where})`);
      }
    }
  }
  return problems;
}

/** The child relationships the bridge queries (`Conversation_Ownerships__r`). */
export function checkRelationships(model: ForceAppModel): string[] {
  const history = model.objects[CONVERSATION_OWNERSHIP.object];
  const pairs = [
    [CONVERSATION_OWNERSHIP.fields.contact.name, CONVERSATION_OWNERSHIP.contactRelationship],
    [CONVERSATION_OWNERSHIP.fields.case.name, CONVERSATION_OWNERSHIP.caseRelationship],
  ] as const;
  return pairs.flatMap(([field, relationship]) => {
    const meta = history?.fields[field];
    const actual = meta?.relationshipName ? `${meta.relationshipName}__r` : '(none)';
    return actual === relationship
      ? []
      : [
          `${CONVERSATION_OWNERSHIP.object}.${field}: child relationship is ${actual}, the bridge queries ${relationship}`,
        ];
  });
}

function fieldExists(model: ForceAppModel, object: string, field: string): boolean {
  return STANDARD_FIELDS.has(field) || model.objects[object]?.fields[field] !== undefined;
}

function objectExists(model: ForceAppModel, object: string): boolean {
  return STANDARD_OBJECTS.has(object) || model.objects[object]?.file !== undefined;
}

/** Permission sets, layouts, list views, compact layouts and tabs name only what exists. */
export function checkReferences(model: ForceAppModel): string[] {
  const problems: string[] = [];
  for (const set of Object.values(model.permissionSets)) {
    for (const { field } of set.fieldPermissions) {
      const [object = '', name = ''] = field.split('.');
      if (!fieldExists(model, object, name))
        problems.push(`${set.file}: field ${field} does not exist`);
    }
    for (const { object } of set.objectPermissions) {
      if (!objectExists(model, object))
        problems.push(`${set.file}: object ${object} does not exist`);
    }
    for (const { tab } of set.tabSettings) {
      if (!model.views.some((v) => v.kind === 'CustomTab' && v.name === tab)) {
        problems.push(`${set.file}: tab ${tab} does not exist`);
      }
    }
  }
  for (const view of model.views) {
    if (view.kind === 'CustomTab' && !view.object) continue;
    if (!objectExists(model, view.object))
      problems.push(`${view.file}: object ${view.object} does not exist`);
    for (const field of view.fields) {
      if (!fieldExists(model, view.object, field)) {
        problems.push(`${view.file}: field ${view.object}.${field} does not exist`);
      }
    }
  }
  return problems;
}

/**
 * Personal data carries Salesforce data classification, so the org's own
 * privacy tooling (and admins reading Setup) see it: the WhatsApp keys, notes
 * and context are Confidential and in the GDPR and PII compliance groups.
 */
export function checkDataClassification(
  model: ForceAppModel,
  specs: readonly ObjectSpec[] = SPECS,
): string[] {
  const problems: string[] = [];
  for (const spec of specs) {
    for (const f of Object.values(spec.fields)) {
      if (!f.personal) continue;
      const meta = model.objects[spec.object]?.fields[f.name];
      if (!meta) continue; // checkFieldParity reports it
      if (meta.securityClassification === '')
        problems.push(`${meta.file}: personal data without securityClassification`);
      for (const group of ['GDPR', 'PII']) {
        if (!meta.complianceGroups.includes(group))
          problems.push(`${meta.file}: personal data without complianceGroup ${group}`);
      }
    }
  }
  return problems;
}

/** On the shipped layouts, what the bridge writes is read-only: a hand edit would be overwritten. */
export function checkLayoutsReadOnly(
  model: ForceAppModel,
  specs: readonly ObjectSpec[] = SPECS,
): string[] {
  const problems: string[] = [];
  for (const view of model.views.filter((v) => v.kind === 'Layout')) {
    const spec = specs.find((s) => s.object === view.object);
    const written = new Set(
      Object.values(spec?.fields ?? {})
        .filter((f) => f.writes)
        .map((f) => f.name),
    );
    for (const field of view.editableFields) {
      if (written.has(field))
        problems.push(`${view.file}: ${field} is written by the bridge and must be Readonly`);
    }
  }
  return problems;
}

/** Report types join real relationships and their columns name fields that exist. */
export function checkReportTypes(model: ForceAppModel): string[] {
  const problems: string[] = [];
  // A child relationship name → the object it reaches, from the Lookup fields.
  const children = new Map<string, string>();
  for (const object of Object.values(model.objects)) {
    for (const f of Object.values(object.fields)) {
      if (f.relationshipName)
        children.set(`${f.referenceTo}.${f.relationshipName}__r`, object.name);
    }
  }
  for (const report of model.reportTypes) {
    if (!objectExists(model, report.baseObject))
      problems.push(`${report.file}: base object ${report.baseObject} does not exist`);
    const tables = new Map([[report.baseObject, report.baseObject]]);
    let parentTable = report.baseObject;
    let parentObject = report.baseObject;
    for (const relationship of report.joins) {
      const reached = children.get(`${parentObject}.${relationship}`);
      if (!reached) {
        problems.push(`${report.file}: ${parentObject} has no child relationship ${relationship}`);
        break;
      }
      parentTable = `${parentTable}.${relationship}`;
      parentObject = reached;
      tables.set(parentTable, reached);
    }
    for (const { table, field } of report.columns) {
      const object = tables.get(table);
      if (!object) problems.push(`${report.file}: column table ${table} is not joined`);
      else if (!fieldExists(model, object, field))
        problems.push(`${report.file}: field ${object}.${field} does not exist`);
    }
  }
  return problems;
}

/** All rules at once, for a single "deployable" assertion. */
export function checkAll(model: ForceAppModel, sourceApiVersion: string): string[] {
  return [
    ...checkWellFormed(model.files),
    ...checkFullNames(model),
    ...checkApiVersions(model, sourceApiVersion),
    ...checkFieldDocs(model),
    ...checkFieldParity(model),
    ...checkRelationships(model),
    ...checkReferences(model),
    ...checkPermissionSetCoverage(model),
    ...checkElementOrder(model),
    ...checkIntegrationPermissionSet(model),
    ...checkAgentPermissionSet(model),
    ...checkContactCreationPermissionSet(model),
    ...checkPrivacyPermissionSet(model),
    ...checkDataClassification(model),
    ...checkLayoutsReadOnly(model),
    ...checkReportTypes(model),
  ];
}
