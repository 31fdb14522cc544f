/**
 * Strict XML reading for `force-app` metadata files.
 *
 * SDR parses metadata leniently (a truncated file parses as a half-empty object),
 * so every file is first checked with fast-xml-parser's `XMLValidator`, then
 * parsed with every leaf kept as a string (`'true'`, `'20'`), as SDR does.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Elements that may repeat under their parent: always parsed as arrays. */
const REPEATED = new Set([
  'fieldPermissions',
  'objectPermissions',
  'tabSettings',
  'layoutSections',
  'layoutColumns',
  'layoutItems',
  'relatedLists',
  'columns',
  'fields',
  'value',
  'target',
  'targetConfig',
  'property',
  'customTabListAdditionalFields',
  'lookupDialogsAdditionalFields',
  'searchResultsAdditionalFields',
  'types',
  'members',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // `<object>` repeats inside an LWC's `<objects>`, but is single in `<objectPermissions>`.
  isArray: (name, jpath) => REPEATED.has(name) || String(jpath).endsWith('.objects.object'),
});

const orderedParser = new XMLParser({ preserveOrder: true, ignoreAttributes: true });

/** A parsed XML element: strings at the leaves, arrays for repeated elements. */
export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** `null` when `xml` is well formed, else a message with line and column. */
export function xmlProblem(xml: string): string | null {
  const result = XMLValidator.validate(xml);
  if (result === true) return null;
  const { code, msg, line, col } = result.err;
  return `${code} at line ${line}, column ${col}: ${msg}`;
}

/** Parses a metadata file; throws when it is not well formed. */
export function parseXml(xml: string, file = '<inline>'): XmlNode {
  const problem = xmlProblem(xml);
  if (problem) throw new Error(`${file}: ${problem}`);
  return parser.parse(xml) as XmlNode;
}

/** Names of the root element's children, in document order (duplicates kept). */
export function childOrder(xml: string): string[] {
  const doc = orderedParser.parse(xml) as Record<string, unknown>[];
  const root = doc.find((node) => !Object.keys(node).some((k) => k.startsWith('?')));
  if (!root) return [];
  const rootName = Object.keys(root).find((k) => k !== ':@');
  const children = rootName ? (root[rootName] as Record<string, unknown>[]) : [];
  return children.flatMap((child) => Object.keys(child).filter((k) => k !== ':@' && k !== '#text'));
}

/** The child element `name` as a string ('' when absent or empty). */
export function str(node: XmlValue | undefined, name: string): string {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return '';
  const value = node[name];
  return typeof value === 'string' ? value : '';
}

/** The child element `name` as an array of nodes (empty when absent). */
export function list(node: XmlValue | undefined, name: string): XmlValue[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [];
  const value = node[name];
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** The child element `name` as a node (`{}` when absent). */
export function child(node: XmlValue | undefined, name: string): XmlNode {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return {};
  const value = node[name];
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

export const isTrue = (value: string): boolean => value === 'true';
