/**
 * A small YAML writer for Archy files: block maps and sequences laid out the
 * way Archy exports them (sequences indented under their key, `- key:` items),
 * scalars plain when that is unambiguous and JSON-quoted otherwise (a JSON
 * string is a valid YAML double-quoted scalar). No anchors, no flow style
 * except `[]` / `{}` for empty collections.
 */

export type YamlValue =
  string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9 _./()-]*$/;
/** YAML 1.1 booleans and nulls that a plain scalar would turn into. */
const KEYWORDS = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;

export function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as YAML`);
    return String(value);
  }
  const plain = PLAIN.test(value) && !KEYWORDS.test(value) && !value.endsWith(' ');
  return plain ? value : JSON.stringify(value);
}

function isCollection(value: YamlValue): value is YamlValue[] | { [key: string]: YamlValue } {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: YamlValue[] | { [key: string]: YamlValue }): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function writeMap(map: { [key: string]: YamlValue }, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [key, value] of Object.entries(map)) {
    const k = yamlScalar(key);
    if (!isCollection(value)) out.push(`${pad}${k}: ${yamlScalar(value)}`);
    else if (isEmpty(value)) out.push(`${pad}${k}: ${Array.isArray(value) ? '[]' : '{}'}`);
    else {
      out.push(`${pad}${k}:`);
      if (Array.isArray(value)) writeSequence(value, indent + 2, out);
      else writeMap(value, indent + 2, out);
    }
  }
}

function writeSequence(items: YamlValue[], indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of items) {
    if (!isCollection(item)) out.push(`${pad}- ${yamlScalar(item)}`);
    else if (isEmpty(item)) out.push(`${pad}- ${Array.isArray(item) ? '[]' : '{}'}`);
    else if (Array.isArray(item)) throw new Error('nested sequences are not used in Archy files');
    else {
      const lines: string[] = [];
      writeMap(item, indent + 2, lines);
      lines[0] = `${pad}- ${lines[0]!.slice(indent + 2)}`;
      out.push(...lines);
    }
  }
}

/** The document, preceded by `#` comment lines for `header`. Ends with a new line. */
export function toYaml(
  document: { [key: string]: YamlValue },
  header: readonly string[] = [],
): string {
  const out = header.map((line) => (line === '' ? '#' : `# ${line}`));
  writeMap(document, 0, out);
  return `${out.join('\n')}\n`;
}
