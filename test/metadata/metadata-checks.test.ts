/**
 * The checks in metadata-checks.ts fail, with a message that says what to fix,
 * when someone breaks force-app: each test edits an in-memory copy of the real
 * model (never the files) and runs the checker on it.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FieldMeta, ForceAppModel, PermissionSetMeta } from '../support/force-app-model.ts';
import { buildModel, loadForceApp } from '../support/force-app-model.ts';
import {
  AGENT_PERMISSION_SET,
  CONTACT_CREATION_PERMISSION_SET,
  INTEGRATION_PERMISSION_SET,
  checkAgentPermissionSet,
  checkAll,
  checkContactCreationPermissionSet,
  checkDataClassification,
  checkLayoutsReadOnly,
  checkReportTypes,
  checkApiVersions,
  checkElementOrder,
  checkFieldDocs,
  checkFieldParity,
  checkFullNames,
  checkIntegrationPermissionSet,
  checkPermissionSetCoverage,
  checkReferences,
  checkRelationships,
  checkWellFormed,
} from './metadata-checks.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../force-app/main/default', import.meta.url));

let original: ForceAppModel;
beforeAll(() => {
  original = loadForceApp(DEFAULT_DIR);
});

/** A deep copy of the real model, safe to break. */
const copy = (): ForceAppModel => structuredClone(original);

function field(model: ForceAppModel, object: string, name: string): FieldMeta {
  const meta = model.objects[object]?.fields[name];
  if (!meta) throw new Error(`fixture lacks ${object}.${name}`);
  return meta;
}

function permissionSet(model: ForceAppModel, name: string): PermissionSetMeta {
  const set = model.permissionSets[name];
  if (!set) throw new Error(`fixture lacks ${name}`);
  return set;
}

describe('a broken XML file', () => {
  const broken = {
    path: 'objects/Contact/fields/Broken__c.field-meta.xml',
    xml: '<?xml version="1.0" encoding="UTF-8"?>\n<CustomField><fullName>Broken__c</fullName><label>Broken',
  };

  it('is reported with its path, although SDR would parse it', () => {
    const problems = checkWellFormed([...original.files, broken]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^objects\/Contact\/fields\/Broken__c\.field-meta\.xml is not well-formed XML: /,
    );
  });

  it('stops the model from being built', () => {
    expect(() => buildModel([broken])).toThrow(/Broken__c\.field-meta\.xml: /);
  });

  it('includes an unknown closing tag', () => {
    const xml = '<?xml version="1.0"?><CustomField><label>X</labl></CustomField>';
    expect(checkWellFormed([{ path: 'x.field-meta.xml', xml }])).toHaveLength(1);
  });
});

describe('field parity catches', () => {
  it('a removed field', () => {
    const model = copy();
    delete model.objects.Contact?.fields.WhatsApp_Number__c;
    expect(checkFieldParity(model)).toEqual([
      'Contact.WhatsApp_Number__c is used by the bridge but missing from force-app (expected objects/Contact/fields/WhatsApp_Number__c.field-meta.xml)',
    ]);
  });

  it('a shrunk Text field', () => {
    const model = copy();
    field(model, 'Case', 'Last_Agent_Name__c').length = 80;
    expect(checkFieldParity(model)).toEqual([
      'Case.Last_Agent_Name__c: length 80 is shorter than the 255 the bridge needs (objects/Case/fields/Last_Agent_Name__c.field-meta.xml)',
    ]);
  });

  it('a key that is no longer unique', () => {
    const model = copy();
    field(model, 'Conversation_Ownership__c', 'Conversation_Id__c').unique = false;
    expect(checkFieldParity(model)[0]).toContain(
      'Conversation_Ownership__c.Conversation_Id__c: the bridge upserts by it, so it must be External ID and Unique',
    );
  });

  it('an incompatible type', () => {
    const model = copy();
    field(model, 'Contact', 'Last_Interaction_At__c').type = 'Date';
    expect(checkFieldParity(model)[0]).toContain(
      'Contact.Last_Interaction_At__c: type Date is not compatible with DateTime',
    );
  });

  it('a Lookup to the wrong object', () => {
    const model = copy();
    field(model, 'Conversation_Ownership__c', 'Contact__c').referenceTo = 'Account';
    expect(checkFieldParity(model)[0]).toContain(
      'Conversation_Ownership__c.Contact__c: Lookup must reference Contact, not Account',
    );
  });

  it('a missing Source__c value', () => {
    const model = copy();
    field(model, 'Conversation_Ownership__c', 'Source__c').picklistValues = ['event', 'manual'];
    expect(checkFieldParity(model)[0]).toContain('Source__c: picklist lacks value(s) sweep');
  });

  it('a contract that now needs more than force-app ships', () => {
    const spec = {
      object: 'Contact',
      fields: {
        lastAgentName: { name: 'Last_Agent_Name__c', type: 'Text', length: 300, writes: true },
      },
    } as const;
    expect(checkFieldParity(original, [spec])).toEqual([
      'Contact.Last_Agent_Name__c: length 255 is shorter than the 300 the bridge needs (objects/Contact/fields/Last_Agent_Name__c.field-meta.xml)',
    ]);
  });

  it('a renamed child relationship', () => {
    const model = copy();
    field(model, 'Conversation_Ownership__c', 'Case__c').relationshipName = 'Ownerships';
    expect(checkRelationships(model)).toEqual([
      'Conversation_Ownership__c.Case__c: child relationship is Ownerships__r, the bridge queries Conversation_Ownerships__r',
    ]);
  });

  it('a field without help text, or a required one', () => {
    const model = copy();
    const f = field(model, 'Contact', 'Continuity_VIP__c');
    f.inlineHelpText = '';
    f.required = true;
    expect(checkFieldDocs(model)).toEqual([
      `${f.file}: missing inlineHelpText`,
      `${f.file}: must not be required`,
    ]);
  });

  it('a fullName that differs from the file name', () => {
    const model = copy();
    field(model, 'Case', 'Last_Queue_Id__c').fullName = 'Last_Queue__c';
    expect(checkFullNames(model)[0]).toContain(
      "fullName 'Last_Queue__c' differs from the file name 'Last_Queue_Id__c'",
    );
  });

  it('an LWC on another API version', () => {
    const model = copy();
    const bundle = model.bundles[0];
    if (bundle) bundle.apiVersion = '66.0';
    expect(checkApiVersions(model, '68.0')).toEqual([
      "lwc/continuityOwner/continuityOwner.js-meta.xml: apiVersion '66.0' differs from sourceApiVersion '68.0'",
    ]);
  });
});

describe('permission set checks catch', () => {
  it('a writable field without edit for the integration user', () => {
    const model = copy();
    const fp = permissionSet(model, INTEGRATION_PERMISSION_SET).fieldPermissions.find(
      (p) => p.field === 'Contact.Last_Agent_Id__c',
    );
    if (fp) fp.editable = false;
    expect(checkIntegrationPermissionSet(model)).toEqual([
      'permissionsets/Continuity_Bridge_Integration.permissionset-meta.xml: the bridge writes Contact.Last_Agent_Id__c but the set does not grant edit',
    ]);
  });

  it('edit on a field the bridge only reads', () => {
    const model = copy();
    const fp = permissionSet(model, INTEGRATION_PERMISSION_SET).fieldPermissions.find(
      (p) => p.field === 'Contact.Continuity_VIP__c',
    );
    if (fp) fp.editable = true;
    expect(checkIntegrationPermissionSet(model)[0]).toContain(
      'grants edit on Contact.Continuity_VIP__c, which the bridge never writes',
    );
  });

  it('delete, view all or modify all for the integration user', () => {
    const model = copy();
    const op = permissionSet(model, INTEGRATION_PERMISSION_SET).objectPermissions.find(
      (p) => p.object === 'Conversation_Ownership__c',
    );
    if (op) Object.assign(op, { allowDelete: true, viewAllRecords: true });
    expect(checkIntegrationPermissionSet(model)).toEqual([
      'permissionsets/Continuity_Bridge_Integration.permissionset-meta.xml: Conversation_Ownership__c must not have allowDelete',
      'permissionsets/Continuity_Bridge_Integration.permissionset-meta.xml: Conversation_Ownership__c must not have viewAllRecords',
    ]);
  });

  it('create on Contact for the integration user', () => {
    const model = copy();
    const op = permissionSet(model, INTEGRATION_PERMISSION_SET).objectPermissions.find(
      (p) => p.object === 'Contact',
    );
    if (op) op.allowCreate = true;
    expect(checkIntegrationPermissionSet(model)[0]).toContain(
      'Contact allowCreate should be false',
    );
  });

  it('an agent who can edit', () => {
    const model = copy();
    const set = permissionSet(model, AGENT_PERMISSION_SET);
    const fp = set.fieldPermissions[0];
    if (fp) fp.editable = true;
    set.tabSettings = [];
    expect(checkAgentPermissionSet(model)).toEqual([
      `${set.file}: agents must not edit ${fp?.field}`,
      `${set.file}: the Conversation_Ownership__c tab is not Visible`,
    ]);
  });

  it('a field left out of a permission set', () => {
    const model = copy();
    const set = permissionSet(model, AGENT_PERMISSION_SET);
    set.fieldPermissions = set.fieldPermissions.filter(
      (p) => p.field !== 'Case.Last_Queue_Name__c',
    );
    expect(checkPermissionSetCoverage(model)).toEqual([
      `${set.file}: does not list field Case.Last_Queue_Name__c`,
    ]);
  });

  it('a field or object that does not exist', () => {
    const model = copy();
    const set = permissionSet(model, AGENT_PERMISSION_SET);
    set.fieldPermissions.push({ field: 'Contact.Gone__c', editable: false, readable: true });
    set.objectPermissions.push({ ...set.objectPermissions[0]!, object: 'Gone__c' });
    expect(checkReferences(model)).toEqual([
      `${set.file}: field Contact.Gone__c does not exist`,
      `${set.file}: object Gone__c does not exist`,
    ]);
  });

  it('elements out of alphabetical order', () => {
    const model = copy();
    const set = permissionSet(model, INTEGRATION_PERMISSION_SET);
    set.childOrder = ['label', ...set.childOrder.filter((n) => n !== 'label')];
    expect(checkElementOrder(model)[0]).toMatch(/<description> comes after <label>/);
  });
});

describe('layout and view checks catch', () => {
  it('a layout or list view naming a deleted field', () => {
    const model = copy();
    delete model.objects.Conversation_Ownership__c?.fields.Wrapup_Name__c;
    const problems = checkReferences(model);
    expect(
      problems.some((p) => p.startsWith('layouts/') && p.endsWith('Wrapup_Name__c does not exist')),
    ).toBe(true);
    expect(
      problems.some(
        (p) => p.includes('listViews/All') && p.endsWith('Wrapup_Name__c does not exist'),
      ),
    ).toBe(true);
    expect(checkAll(model, '68.0').length).toBeGreaterThan(problems.length);
  });

  it('personal data without its classification', () => {
    const model = copy();
    field(model, 'Contact', 'Last_Notes__c').securityClassification = '';
    field(model, 'Conversation_Ownership__c', 'WhatsApp_Number__c').complianceGroups = ['PII'];
    expect(checkDataClassification(model)).toEqual([
      'objects/Contact/fields/Last_Notes__c.field-meta.xml: personal data without securityClassification',
      'objects/Conversation_Ownership__c/fields/WhatsApp_Number__c.field-meta.xml: personal data without complianceGroup GDPR',
    ]);
  });

  it('a bridge-written field editable on the layout', () => {
    const model = copy();
    const layout = model.views.find((v) => v.kind === 'Layout');
    layout?.editableFields.push('Notes__c');
    expect(checkLayoutsReadOnly(model)).toEqual([
      `${layout?.file}: Notes__c is written by the bridge and must be Readonly`,
    ]);
  });

  it('a report type joining a relationship that does not exist, or a missing column field', () => {
    const model = copy();
    const report = model.reportTypes[0]!;
    report.columns.push({ table: 'Contact.Conversation_Ownerships__r', field: 'Gone__c' });
    expect(checkReportTypes(model)).toEqual([
      `${report.file}: field Conversation_Ownership__c.Gone__c does not exist`,
    ]);
    report.joins = ['Ownerships__r'];
    expect(checkReportTypes(model)).toContain(
      `${report.file}: Contact has no child relationship Ownerships__r`,
    );
  });

  it('a contact-creation set that edits more than the keys, or cannot create', () => {
    const model = copy();
    const set = permissionSet(model, CONTACT_CREATION_PERMISSION_SET);
    set.fieldPermissions.push({ field: 'Contact.Last_Notes__c', editable: true, readable: true });
    for (const op of set.objectPermissions) op.allowCreate = false;
    expect(checkContactCreationPermissionSet(model)).toEqual([
      `${set.file}: grants edit on Contact.Last_Notes__c, not a creation key`,
      `${set.file}: Contact allowCreate should be true`,
    ]);
  });
});
