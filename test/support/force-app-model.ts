/**
 * Reads `force-app/main/default` (source format) into a plain, cloneable model
 * that the checks in `metadata-checks.ts` work on. Tests may mutate a
 * `structuredClone` of the model to prove that a check fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { XmlNode, XmlValue } from './metadata-xml.ts';
import { child, childOrder, isTrue, list, parseXml, str } from './metadata-xml.ts';

export interface XmlFile {
  /** Path relative to the package directory, with `/` separators. */
  readonly path: string;
  readonly xml: string;
}

export interface FieldMeta {
  object: string;
  name: string;
  file: string;
  fullName: string;
  type: string;
  label: string;
  description: string;
  inlineHelpText: string;
  length?: number;
  precision?: number;
  scale?: number;
  externalId: boolean;
  unique: boolean;
  caseSensitive?: boolean;
  required: boolean;
  trackHistory: boolean;
  referenceTo: string;
  relationshipName: string;
  deleteConstraint: string;
  picklistValues: string[];
  restrictedPicklist: boolean;
  /** Salesforce data classification: '' when unclassified. */
  securityClassification: string;
  /** `GDPR;PII` → ['GDPR', 'PII']. */
  complianceGroups: string[];
}

export interface ObjectMeta {
  name: string;
  /** The `.object-meta.xml` file, absent for standard objects that only ship fields. */
  file?: string;
  sharingModel?: string;
  enableHistory?: boolean;
  nameFieldType?: string;
  fields: Record<string, FieldMeta>;
}

export interface FieldPermission {
  field: string;
  editable: boolean;
  readable: boolean;
}

export interface ObjectPermission {
  object: string;
  allowCreate: boolean;
  allowRead: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

export interface PermissionSetMeta {
  name: string;
  file: string;
  childOrder: string[];
  fieldPermissions: FieldPermission[];
  objectPermissions: ObjectPermission[];
  tabSettings: { tab: string; visibility: string }[];
  /** System permissions granted (`<userPermissions>` with `enabled` true), e.g. `BulkApiHardDelete`. */
  userPermissions: string[];
}

/** Layouts, list views, compact layouts and tabs: which object and fields they name. */
export interface ViewMeta {
  kind: 'Layout' | 'ListView' | 'CompactLayout' | 'CustomTab';
  name: string;
  file: string;
  /** `fullName` element, '' when the format has none. */
  fullName: string;
  object: string;
  fields: string[];
  /** Layouts: the fields placed with `<behavior>Edit</behavior>` (or Required). */
  editableFields: string[];
}

/** A custom report type: its base object, joined relationships and column tables. */
export interface ReportTypeMeta {
  name: string;
  file: string;
  baseObject: string;
  /** Relationship names joined, outermost first. */
  joins: string[];
  columns: { table: string; field: string }[];
}

export interface BundleMeta {
  name: string;
  file: string;
  apiVersion: string;
  targets: string[];
  objects: string[];
  properties: Record<string, string>[];
}

export interface ForceAppModel {
  files: XmlFile[];
  objects: Record<string, ObjectMeta>;
  permissionSets: Record<string, PermissionSetMeta>;
  views: ViewMeta[];
  bundles: BundleMeta[];
  reportTypes: ReportTypeMeta[];
}

const SUFFIX = '-meta.xml';

/** Every `*-meta.xml` file under `dir` (`__tests__` folders excluded, as by .forceignore). */
export function readMetadataFiles(dir: string): XmlFile[] {
  const out: XmlFile[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const full = join(current, entry);
      if (statSync(full).isDirectory()) {
        if (entry !== '__tests__' && entry !== 'node_modules') walk(full);
      } else if (entry.endsWith(SUFFIX)) {
        out.push({
          path: relative(dir, full).split(sep).join('/'),
          xml: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  walk(dir);
  return out;
}

const num = (value: string): number | undefined => (value === '' ? undefined : Number(value));
const stem = (path: string, suffix: string): string => basename(path).slice(0, -suffix.length);

function toField(object: string, file: string, doc: XmlNode): FieldMeta {
  const f = child(doc, 'CustomField');
  const caseSensitive = str(f, 'caseSensitive');
  const valueSet = child(f, 'valueSet');
  const definition = child(valueSet, 'valueSetDefinition');
  return {
    object,
    name: stem(file, '.field-meta.xml'),
    file,
    fullName: str(f, 'fullName'),
    type: str(f, 'type'),
    label: str(f, 'label'),
    description: str(f, 'description'),
    inlineHelpText: str(f, 'inlineHelpText'),
    length: num(str(f, 'length')),
    precision: num(str(f, 'precision')),
    scale: num(str(f, 'scale')),
    externalId: isTrue(str(f, 'externalId')),
    unique: isTrue(str(f, 'unique')),
    caseSensitive: caseSensitive === '' ? undefined : isTrue(caseSensitive),
    required: isTrue(str(f, 'required')),
    trackHistory: isTrue(str(f, 'trackHistory')),
    referenceTo: str(f, 'referenceTo'),
    relationshipName: str(f, 'relationshipName'),
    deleteConstraint: str(f, 'deleteConstraint'),
    picklistValues: list(definition, 'value').map((v) => str(v, 'fullName')),
    restrictedPicklist: isTrue(str(valueSet, 'restricted')),
    securityClassification: str(f, 'securityClassification'),
    complianceGroups: str(f, 'complianceGroup').split(';').filter(Boolean),
  };
}

function toPermissionSet(file: string, xml: string, doc: XmlNode): PermissionSetMeta {
  const p = child(doc, 'PermissionSet');
  return {
    name: stem(file, '.permissionset-meta.xml'),
    file,
    childOrder: childOrder(xml),
    fieldPermissions: list(p, 'fieldPermissions').map((fp) => ({
      field: str(fp, 'field'),
      editable: isTrue(str(fp, 'editable')),
      readable: isTrue(str(fp, 'readable')),
    })),
    objectPermissions: list(p, 'objectPermissions').map((op) => ({
      object: str(op, 'object'),
      allowCreate: isTrue(str(op, 'allowCreate')),
      allowRead: isTrue(str(op, 'allowRead')),
      allowEdit: isTrue(str(op, 'allowEdit')),
      allowDelete: isTrue(str(op, 'allowDelete')),
      viewAllRecords: isTrue(str(op, 'viewAllRecords')),
      modifyAllRecords: isTrue(str(op, 'modifyAllRecords')),
    })),
    tabSettings: list(p, 'tabSettings').map((t) => ({
      tab: str(t, 'tab'),
      visibility: str(t, 'visibility'),
    })),
    userPermissions: list(p, 'userPermissions')
      .filter((u) => isTrue(str(u, 'enabled')))
      .map((u) => str(u, 'name')),
  };
}

function layoutItems(doc: XmlNode): XmlValue[] {
  return list(child(doc, 'Layout'), 'layoutSections')
    .flatMap((section) => list(section, 'layoutColumns'))
    .flatMap((column) => list(column, 'layoutItems'));
}

function layoutFields(doc: XmlNode): string[] {
  return layoutItems(doc)
    .map((item) => str(item, 'field'))
    .filter(Boolean);
}

function layoutEditableFields(doc: XmlNode): string[] {
  return layoutItems(doc)
    .filter((item) => str(item, 'behavior') !== 'Readonly')
    .map((item) => str(item, 'field'))
    .filter(Boolean);
}

function joinsOf(node: XmlNode): string[] {
  const join = child(node, 'join');
  const relationship = str(join, 'relationship');
  return relationship === '' ? [] : [relationship, ...joinsOf(join)];
}

function objectOf(path: string): string {
  return path.split('/')[1] ?? '';
}

/** Builds the model from already-read files (so tests can feed modified copies). */
export function buildModel(files: XmlFile[]): ForceAppModel {
  const model: ForceAppModel = {
    files,
    objects: {},
    permissionSets: {},
    views: [],
    bundles: [],
    reportTypes: [],
  };
  const objectMeta = (name: string): ObjectMeta => (model.objects[name] ??= { name, fields: {} });

  for (const { path, xml } of files) {
    const doc = parseXml(xml, path);
    if (/^objects\/[^/]+\/[^/]+\.object-meta\.xml$/.test(path)) {
      const o = child(doc, 'CustomObject');
      const meta = objectMeta(objectOf(path));
      meta.file = path;
      meta.sharingModel = str(o, 'sharingModel');
      meta.enableHistory = isTrue(str(o, 'enableHistory'));
      meta.nameFieldType = str(child(o, 'nameField'), 'type');
    } else if (path.includes('/fields/') && path.endsWith('.field-meta.xml')) {
      const field = toField(objectOf(path), path, doc);
      objectMeta(field.object).fields[field.name] = field;
    } else if (path.endsWith('.permissionset-meta.xml')) {
      const set = toPermissionSet(path, xml, doc);
      model.permissionSets[set.name] = set;
    } else if (path.endsWith('.layout-meta.xml')) {
      const name = stem(path, '.layout-meta.xml');
      const object = name.split('-')[0] ?? '';
      model.views.push({
        kind: 'Layout',
        name,
        file: path,
        fullName: '',
        object,
        fields: layoutFields(doc),
        editableFields: layoutEditableFields(doc),
      });
    } else if (path.endsWith('.listView-meta.xml')) {
      const v = child(doc, 'ListView');
      model.views.push({
        kind: 'ListView',
        name: stem(path, '.listView-meta.xml'),
        file: path,
        fullName: str(v, 'fullName'),
        object: objectOf(path),
        fields: list(v, 'columns').map(String),
        editableFields: [],
      });
    } else if (path.endsWith('.compactLayout-meta.xml')) {
      const c = child(doc, 'CompactLayout');
      model.views.push({
        kind: 'CompactLayout',
        name: stem(path, '.compactLayout-meta.xml'),
        file: path,
        fullName: str(c, 'fullName'),
        object: objectOf(path),
        fields: list(c, 'fields').map(String),
        editableFields: [],
      });
    } else if (path.endsWith('.tab-meta.xml')) {
      const name = stem(path, '.tab-meta.xml');
      const isObjectTab = isTrue(str(child(doc, 'CustomTab'), 'customObject'));
      model.views.push({
        kind: 'CustomTab',
        name,
        file: path,
        fullName: '',
        object: isObjectTab ? name : '',
        fields: [],
        editableFields: [],
      });
    } else if (path.endsWith('.reportType-meta.xml')) {
      const r = child(doc, 'ReportType');
      model.reportTypes.push({
        name: stem(path, '.reportType-meta.xml'),
        file: path,
        baseObject: str(r, 'baseObject'),
        joins: joinsOf(r),
        columns: list(r, 'sections')
          .flatMap((section) => list(section, 'columns'))
          .map((c) => ({ table: str(c, 'table'), field: str(c, 'field') })),
      });
    } else if (path.endsWith('.js-meta.xml')) {
      const b = child(doc, 'LightningComponentBundle');
      const configs = list(child(b, 'targetConfigs'), 'targetConfig');
      model.bundles.push({
        name: stem(path, '.js-meta.xml'),
        file: path,
        apiVersion: str(b, 'apiVersion'),
        targets: list(child(b, 'targets'), 'target').map(String),
        objects: configs.flatMap((c) => list(child(c, 'objects'), 'object').map(String)),
        properties: configs.flatMap((c) => list(c, 'property')) as Record<string, string>[],
      });
    }
  }
  return model;
}

/** Reads and models a package directory's `main/default` folder. */
export function loadForceApp(defaultDir: string): ForceAppModel {
  return buildModel(readMetadataFiles(defaultDir));
}
