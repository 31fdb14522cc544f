/**
 * Offline proof that force-app deploys: SDR converts it to Metadata API format
 * (what `sf project deploy start` sends), every XML file is well formed, and the
 * metadata matches the field contract in src/adapters/salesforce/fields.salesforce.ts.
 * Field rules and FLS are only enforced by an org (`sf project deploy validate`).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASE,
  CONTACT,
  CONVERSATION_OWNERSHIP,
  SALESFORCE_API_VERSION,
  SALESFORCE_OBJECTS,
} from '../../src/adapters/salesforce/fields.salesforce.ts';
import type { ForceAppModel } from '../support/force-app-model.ts';
import { loadForceApp } from '../support/force-app-model.ts';
import {
  AGENT_PERMISSION_SET,
  CONTACT_CREATION_PERMISSION_SET,
  INTEGRATION_PERMISSION_SET,
  PRIVACY_PERMISSION_SET,
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
  checkPrivacyPermissionSet,
  checkReferences,
  checkRelationships,
  checkWellFormed,
} from './metadata-checks.ts';
import { parseXml, xmlProblem } from '../support/metadata-xml.ts';
import type { Conversion } from './sdr-convert.ts';
import { convertForceApp } from './sdr-convert.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE_DIR = join(ROOT, 'force-app');
const DEFAULT_DIR = join(PACKAGE_DIR, 'main', 'default');
const project = JSON.parse(readFileSync(join(ROOT, 'sfdx-project.json'), 'utf8')) as {
  sourceApiVersion: string;
};
const API_VERSION = project.sourceApiVersion;
const SDR_TIMEOUT = 120_000;

const specFieldKeys = SALESFORCE_OBJECTS.flatMap((spec) =>
  Object.values(spec.fields).map((f) => `${spec.object}.${f.name}`),
).sort();

let model: ForceAppModel;
beforeAll(() => {
  model = loadForceApp(DEFAULT_DIR);
});

describe('SDR conversion (no org)', () => {
  let outDir: string;
  let conversion: Conversion;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'force-app-mdapi-'));
    conversion = await convertForceApp(PACKAGE_DIR, outDir, API_VERSION);
  }, SDR_TIMEOUT);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('resolves exactly the components an admin deploys', () => {
    expect(conversion.members).toEqual({
      CompactLayout: ['Conversation_Ownership__c.Conversation_Ownership_Compact'],
      CustomField: specFieldKeys,
      CustomObject: ['Conversation_Ownership__c'],
      CustomTab: ['Conversation_Ownership__c'],
      Layout: ['Conversation_Ownership__c-Conversation Ownership Layout'],
      LightningComponentBundle: ['continuityOwner'],
      ListView: ['Conversation_Ownership__c.All'],
      PermissionSet: [
        AGENT_PERMISSION_SET,
        CONTACT_CREATION_PERMISSION_SET,
        INTEGRATION_PERMISSION_SET,
        PRIVACY_PERMISSION_SET,
      ],
      ReportType: ['Contacts_with_Conversation_Ownerships'],
    });
  });

  it('writes a package.xml at the project API version listing every field', () => {
    const pkg = parseXml(conversion.packageXml, 'package.xml');
    expect(pkg).toMatchObject({ Package: { version: API_VERSION } });
    for (const key of specFieldKeys)
      expect(conversion.packageXml).toContain(`<members>${key}</members>`);
    const written = readFileSync(join(outDir, 'package.xml'), 'utf8');
    expect(written).toBe(conversion.packageXml);
  });

  it('writes well-formed Metadata API files, without the LWC tests', () => {
    const files = [
      'objects/Contact.object',
      'objects/Case.object',
      'objects/Conversation_Ownership__c.object',
      `permissionsets/${INTEGRATION_PERMISSION_SET}.permissionset`,
      `permissionsets/${AGENT_PERMISSION_SET}.permissionset`,
      `permissionsets/${CONTACT_CREATION_PERMISSION_SET}.permissionset`,
      `permissionsets/${PRIVACY_PERMISSION_SET}.permissionset`,
      'reportTypes/Contacts_with_Conversation_Ownerships.reportType',
      'tabs/Conversation_Ownership__c.tab',
      'layouts/Conversation_Ownership__c-Conversation Ownership Layout.layout',
    ];
    for (const file of files) {
      expect(existsSync(join(outDir, file)), file).toBe(true);
      expect(xmlProblem(readFileSync(join(outDir, file), 'utf8')), file).toBeNull();
    }
    expect(readdirSync(join(outDir, 'lwc', 'continuityOwner')).sort()).toEqual([
      'continuityOwner.css',
      'continuityOwner.html',
      'continuityOwner.js',
      'continuityOwner.js-meta.xml',
    ]);
  });

  it('only adds fields to Contact and Case, never their object settings', () => {
    for (const object of [CONTACT.object, CASE.object]) {
      const doc = parseXml(readFileSync(join(outDir, 'objects', `${object}.object`), 'utf8'));
      expect(Object.keys(doc.CustomObject as object).filter((k) => !k.startsWith('@_'))).toEqual([
        'fields',
      ]);
    }
  });
});

describe('XML files', () => {
  it('are all well formed', () => {
    // + object, layout, compact layout, list view, tab, LWC bundle, report type, 4 permission sets
    expect(model.files.length).toBe(specFieldKeys.length + 11);
    expect(checkWellFormed(model.files)).toEqual([]);
  });

  it('carry a fullName equal to their file name', () => {
    expect(checkFullNames(model)).toEqual([]);
  });

  it('use the sourceApiVersion of sfdx-project.json, which is the one the bridge pins', () => {
    expect(API_VERSION).toBe(SALESFORCE_API_VERSION);
    expect(model.bundles.length).toBeGreaterThan(0);
    expect(checkApiVersions(model, API_VERSION)).toEqual([]);
  });
});

describe('fields against src/adapters/salesforce/fields.salesforce.ts', () => {
  it.each(specFieldKeys)('%s exists with a compatible type', (key) => {
    const [object = '', name = ''] = key.split('.');
    const spec = SALESFORCE_OBJECTS.find((s) => s.object === object);
    const only = {
      object,
      fields: Object.fromEntries(
        Object.entries(spec?.fields ?? {}).filter(([, f]) => f.name === name),
      ),
    };
    expect(checkFieldParity(model, [only])).toEqual([]);
  });

  it('every field is documented for admins and optional', () => {
    expect(checkFieldDocs(model)).toEqual([]);
  });

  it('keys are Text, External ID and Unique, case-insensitive for the phone number', () => {
    const number = model.objects.Contact?.fields[CONTACT.fields.whatsAppNumber.name];
    expect(number).toMatchObject({
      type: 'Text',
      length: 20,
      externalId: true,
      unique: true,
      caseSensitive: false,
    });
    const conversation = model.objects[CONVERSATION_OWNERSHIP.object]?.fields.Conversation_Id__c;
    expect(conversation).toMatchObject({ type: 'Text', externalId: true, unique: true });
  });

  it('history lookups clear, not cascade, and expose Conversation_Ownerships__r', () => {
    expect(checkRelationships(model)).toEqual([]);
    const fields = model.objects[CONVERSATION_OWNERSHIP.object]?.fields ?? {};
    expect(fields.Contact__c?.deleteConstraint).toBe('SetNull');
    expect(fields.Case__c?.deleteConstraint).toBe('SetNull');
  });

  it('tracks history on at most a few fields of Contact and Case (limit 20 per object, shared with the org)', () => {
    for (const object of [CONTACT.object, CASE.object]) {
      const tracked = Object.values(model.objects[object]?.fields ?? {}).filter(
        (f) => f.trackHistory,
      );
      expect(tracked.length).toBeGreaterThan(0);
      expect(tracked.length).toBeLessThanOrEqual(3);
    }
  });
});

describe('history object Conversation_Ownership__c', () => {
  it('is Public Read Only, history-enabled, with an AutoNumber name', () => {
    expect(model.objects[CONVERSATION_OWNERSHIP.object]).toMatchObject({
      sharingModel: 'Read',
      enableHistory: true,
      nameFieldType: 'AutoNumber',
    });
  });

  it('ships no standard-object layout, object file or record page that would overwrite an admin’s', () => {
    const paths = model.files.map((f) => f.path);
    expect(paths.filter((p) => /^layouts\/(Contact|Case)-/.test(p))).toEqual([]);
    expect(
      paths.filter((p) => /^objects\/(Contact|Case)\/[^/]+\.object-meta\.xml$/.test(p)),
    ).toEqual([]);
    expect(paths.filter((p) => p.startsWith('flexipages/'))).toEqual([]);
  });

  it('layouts, list views, compact layouts and tabs name only fields that exist', () => {
    expect(model.views.map((v) => v.kind).sort()).toEqual([
      'CompactLayout',
      'CustomTab',
      'Layout',
      'ListView',
    ]);
    expect(checkReferences(model)).toEqual([]);
  });
});

describe('permission sets', () => {
  it('list every custom field, in alphabetical element order, naming only what exists', () => {
    expect(Object.keys(model.permissionSets).sort()).toEqual([
      AGENT_PERMISSION_SET,
      CONTACT_CREATION_PERMISSION_SET,
      INTEGRATION_PERMISSION_SET,
      PRIVACY_PERMISSION_SET,
    ]);
    expect(checkPermissionSetCoverage(model)).toEqual([]);
    expect(checkElementOrder(model)).toEqual([]);
    expect(checkReferences(model)).toEqual([]);
  });

  it('contact creation: create on Contact and edit on the two WhatsApp keys only', () => {
    expect(checkContactCreationPermissionSet(model)).toEqual([]);
    const set = model.permissionSets[CONTACT_CREATION_PERMISSION_SET];
    expect(set?.fieldPermissions.filter((fp) => fp.editable).map((fp) => fp.field)).toEqual([
      'Contact.WhatsApp_Number__c',
      'Contact.WhatsApp_User_Id__c',
    ]);
    // The integration set can no longer change a customer's key.
    const integration = model.permissionSets[INTEGRATION_PERMISSION_SET];
    const keyEdits = integration?.fieldPermissions.filter(
      (fp) => fp.editable && fp.field.startsWith('Contact.WhatsApp_'),
    );
    expect(keyEdits).toEqual([]);
  });

  it('classify personal data, keep bridge-written fields read-only, report on real relationships', () => {
    expect(checkDataClassification(model)).toEqual([]);
    expect(checkLayoutsReadOnly(model)).toEqual([]);
    expect(checkReportTypes(model)).toEqual([]);
    expect(model.reportTypes.map((r) => r.name)).toEqual(['Contacts_with_Conversation_Ownerships']);
  });

  it('integration: edit on exactly the writes:true fields, create/edit on history, no delete or view/modify all', () => {
    expect(checkIntegrationPermissionSet(model)).toEqual([]);
    const set = model.permissionSets[INTEGRATION_PERMISSION_SET];
    const editable = set?.fieldPermissions
      .filter((fp) => fp.editable)
      .map((fp) => fp.field)
      .sort();
    const writes = SALESFORCE_OBJECTS.flatMap((s) =>
      Object.values(s.fields)
        .filter((f) => f.writes)
        .map((f) => `${s.object}.${f.name}`),
    ).sort();
    expect(editable).toEqual(writes);
    expect(set?.tabSettings).toEqual([]);
  });

  it('privacy: delete on history rows and Bulk API Hard Delete, nothing else; no other set grants a system permission', () => {
    expect(checkPrivacyPermissionSet(model)).toEqual([]);
    const set = model.permissionSets[PRIVACY_PERMISSION_SET];
    expect(set?.userPermissions).toEqual(['BulkApiHardDelete']);
    expect(set?.objectPermissions.map((op) => [op.object, op.allowDelete])).toEqual([
      [CONVERSATION_OWNERSHIP.object, true],
    ]);
    expect(model.permissionSets[INTEGRATION_PERMISSION_SET]?.userPermissions).toEqual([]);
  });

  it('agent: read-only everywhere, history tab visible', () => {
    expect(checkAgentPermissionSet(model)).toEqual([]);
  });
});

describe('LWC continuityOwner', () => {
  it('targets Contact and Case record pages with the two design properties', () => {
    const bundle = model.bundles.find((b) => b.name === 'continuityOwner');
    expect(bundle).toMatchObject({
      targets: ['lightning__RecordPage'],
      objects: ['Contact', 'Case'],
    });
    expect(bundle?.properties.map((p) => [p['@_name'], p['@_type'], p['@_default']])).toEqual([
      ['historyRowCount', 'Integer', '5'],
      ['affinityWindowDays', 'Integer', '7'],
    ]);
  });
});

describe('all rules together', () => {
  it('report no problem for force-app as shipped', () => {
    expect(checkAll(model, API_VERSION)).toEqual([]);
  });
});
