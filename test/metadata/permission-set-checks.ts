/**
 * Permission set rules: every field listed, elements in Salesforce's order, the
 * integration user limited to what the bridge writes, agents read-only.
 */
import { CONVERSATION_OWNERSHIP } from '../../src/adapters/salesforce/fields.salesforce.ts';
import type { ForceAppModel } from '../support/force-app-model.ts';
import type { ObjectSpec } from './metadata-spec.ts';
import {
  AGENT_PERMISSION_SET,
  INTEGRATION_PERMISSION_SET,
  CONTACT_CREATION_PERMISSION_SET,
  HARD_DELETE_PERMISSION,
  PRIVACY_PERMISSION_SET,
  SPECS,
  fieldKey,
} from './metadata-spec.ts';

/** Every optional custom field is listed in every permission set (LWC Recipes habit). */
export function checkPermissionSetCoverage(model: ForceAppModel): string[] {
  const problems: string[] = [];
  for (const set of Object.values(model.permissionSets)) {
    const listed = new Set(set.fieldPermissions.map((fp) => fp.field));
    // The contact-creation and privacy sets only add to the integration set.
    const complete =
      set.name !== CONTACT_CREATION_PERMISSION_SET && set.name !== PRIVACY_PERMISSION_SET;
    for (const object of complete ? Object.values(model.objects) : []) {
      for (const f of Object.values(object.fields)) {
        const key = fieldKey(object.name, f.name);
        if (!f.required && !listed.has(key))
          problems.push(`${set.file}: does not list field ${key}`);
      }
    }
    const duplicates = set.fieldPermissions
      .map((fp) => fp.field)
      .filter((f, i, all) => all.indexOf(f) !== i);
    for (const field of duplicates) problems.push(`${set.file}: lists field ${field} twice`);
  }
  return problems;
}

/** Top-level elements in alphabetical order, as Salesforce writes them. */
export function checkElementOrder(model: ForceAppModel): string[] {
  return Object.values(model.permissionSets).flatMap((set) => {
    const order = set.childOrder;
    const at = order.findIndex((name, i) => i > 0 && name < (order[i - 1] ?? ''));
    return at === -1
      ? []
      : [`${set.file}: <${order[at]}> comes after <${order[at - 1]}>; keep elements alphabetical`];
  });
}

const DANGEROUS = ['allowDelete', 'viewAllRecords', 'modifyAllRecords'] as const;

/** The integration user edits exactly the `writes: true` fields and nothing more. */
export function checkIntegrationPermissionSet(
  model: ForceAppModel,
  specs: readonly ObjectSpec[] = SPECS,
): string[] {
  const set = model.permissionSets[INTEGRATION_PERMISSION_SET];
  if (!set) return [`permission set ${INTEGRATION_PERMISSION_SET} is missing`];
  const problems: string[] = [];
  const writable = new Set(
    specs.flatMap((s) =>
      Object.values(s.fields)
        .filter((f) => f.writes)
        .map((f) => fieldKey(s.object, f.name)),
    ),
  );
  const editable = new Set(set.fieldPermissions.filter((fp) => fp.editable).map((fp) => fp.field));
  for (const key of writable) {
    if (!editable.has(key))
      problems.push(`${set.file}: the bridge writes ${key} but the set does not grant edit`);
  }
  for (const key of editable) {
    if (!writable.has(key))
      problems.push(`${set.file}: grants edit on ${key}, which the bridge never writes`);
  }
  for (const s of specs) {
    for (const f of Object.values(s.fields)) {
      const fp = set.fieldPermissions.find((p) => p.field === fieldKey(s.object, f.name));
      if (!fp?.readable)
        problems.push(`${set.file}: the bridge reads ${fieldKey(s.object, f.name)} but cannot`);
    }
  }
  const specObjects = new Set(specs.map((s) => s.object));
  for (const op of set.objectPermissions) {
    for (const flag of DANGEROUS)
      if (op[flag]) problems.push(`${set.file}: ${op.object} must not have ${flag}`);
    const needsEdit = specs.some(
      (s) => s.object === op.object && Object.values(s.fields).some((f) => f.writes),
    );
    if (op.allowEdit !== needsEdit)
      problems.push(`${set.file}: ${op.object} allowEdit should be ${needsEdit}`);
    const needsCreate = op.object === CONVERSATION_OWNERSHIP.object;
    if (op.allowCreate !== needsCreate)
      problems.push(`${set.file}: ${op.object} allowCreate should be ${needsCreate}`);
  }
  for (const object of specObjects) {
    if (!set.objectPermissions.some((op) => op.object === object && op.allowRead)) {
      problems.push(`${set.file}: no read access to ${object}`);
    }
  }
  return problems;
}

/**
 * The contact-creation set: create on Contact and edit on exactly the key
 * fields written when a Contact is created; nothing else, no delete.
 */
export function checkContactCreationPermissionSet(
  model: ForceAppModel,
  specs: readonly ObjectSpec[] = SPECS,
): string[] {
  const set = model.permissionSets[CONTACT_CREATION_PERMISSION_SET];
  if (!set) return [`permission set ${CONTACT_CREATION_PERMISSION_SET} is missing`];
  const problems: string[] = [];
  const onCreate = new Set(
    specs.flatMap((s) =>
      Object.values(s.fields)
        .filter((f) => f.writtenOnCreate)
        .map((f) => fieldKey(s.object, f.name)),
    ),
  );
  const editable = new Set(set.fieldPermissions.filter((fp) => fp.editable).map((fp) => fp.field));
  for (const key of onCreate)
    if (!editable.has(key))
      problems.push(`${set.file}: must grant edit on ${key} to create Contacts`);
  for (const key of editable)
    if (!onCreate.has(key)) problems.push(`${set.file}: grants edit on ${key}, not a creation key`);
  for (const op of set.objectPermissions) {
    for (const flag of DANGEROUS)
      if (op[flag]) problems.push(`${set.file}: ${op.object} must not have ${flag}`);
    if (op.object !== 'Contact' && (op.allowCreate || op.allowEdit))
      problems.push(`${set.file}: only Contact may be created or edited, not ${op.object}`);
  }
  if (!set.objectPermissions.some((op) => op.object === 'Contact' && op.allowCreate))
    problems.push(`${set.file}: Contact allowCreate should be true`);
  return problems;
}

/** Agents read everything the card shows and change nothing. */
export function checkAgentPermissionSet(
  model: ForceAppModel,
  specs: readonly ObjectSpec[] = SPECS,
): string[] {
  const set = model.permissionSets[AGENT_PERMISSION_SET];
  if (!set) return [`permission set ${AGENT_PERMISSION_SET} is missing`];
  const problems: string[] = [];
  for (const fp of set.fieldPermissions) {
    if (fp.editable) problems.push(`${set.file}: agents must not edit ${fp.field}`);
    if (!fp.readable) problems.push(`${set.file}: agents cannot read ${fp.field}`);
  }
  for (const op of set.objectPermissions) {
    for (const flag of ['allowCreate', 'allowEdit', ...DANGEROUS] as const) {
      if (op[flag]) problems.push(`${set.file}: agents must not have ${flag} on ${op.object}`);
    }
  }
  for (const { object } of specs) {
    if (!set.objectPermissions.some((op) => op.object === object && op.allowRead)) {
      problems.push(`${set.file}: agents cannot read ${object}`);
    }
  }
  const tab = set.tabSettings.find((t) => t.tab === CONVERSATION_OWNERSHIP.object);
  if (tab?.visibility !== 'Visible')
    problems.push(`${set.file}: the ${CONVERSATION_OWNERSHIP.object} tab is not Visible`);
  return problems;
}

/**
 * The privacy set: delete (and the Edit Salesforce makes it depend on) on the
 * history object only, plus Bulk API Hard Delete; nothing else. No other set
 * grants a system permission.
 */
export function checkPrivacyPermissionSet(model: ForceAppModel): string[] {
  const set = model.permissionSets[PRIVACY_PERMISSION_SET];
  if (!set) return [`permission set ${PRIVACY_PERMISSION_SET} is missing`];
  const problems: string[] = [];
  const history = CONVERSATION_OWNERSHIP.object;
  if (set.fieldPermissions.length > 0)
    problems.push(`${set.file}: must not list field permissions`);
  for (const op of set.objectPermissions) {
    if (op.object !== history) problems.push(`${set.file}: must not name ${op.object}`);
    for (const flag of ['allowCreate', 'viewAllRecords', 'modifyAllRecords'] as const)
      if (op[flag]) problems.push(`${set.file}: ${op.object} must not have ${flag}`);
  }
  const op = set.objectPermissions.find((p) => p.object === history);
  if (!op?.allowDelete || !op.allowEdit || !op.allowRead)
    problems.push(`${set.file}: ${history} needs read, edit and delete`);
  if (set.userPermissions.join() !== HARD_DELETE_PERMISSION)
    problems.push(`${set.file}: must grant exactly ${HARD_DELETE_PERMISSION}`);
  for (const other of Object.values(model.permissionSets)) {
    if (other.name !== PRIVACY_PERMISSION_SET && other.userPermissions.length > 0)
      problems.push(
        `${other.file}: grants ${other.userPermissions.join(', ')}; only the privacy set may`,
      );
  }
  return problems;
}
