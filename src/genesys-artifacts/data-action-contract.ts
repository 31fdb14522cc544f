import { z } from 'zod';

/**
 * Turns a zod contract into the JSON Schema a Genesys Data Action accepts, and
 * checks it against the documented contract rules (reference §1.3, "Add
 * contracts to custom actions"):
 * - input: flat, types string/integer/number/boolean/null only, no sub-objects;
 *   names start with a letter and hold letters, digits, `-` or `_`; `orgId`,
 *   `integrationId` and `rawRequest` are reserved;
 * - output: no nested arrays; this product keeps it flat (arrays of primitives
 *   only) and never null, so translation defaults always apply;
 * - neither may use `$ref`.
 */

export type JsonSchema = Record<string, unknown>;

export interface DataActionProperty {
  type: PrimitiveType | 'array';
  description?: string;
  items?: { type: PrimitiveType };
}

export interface DataActionSchema {
  type: 'object';
  required?: string[];
  properties: Record<string, DataActionProperty>;
  additionalProperties: true;
}

export type PrimitiveType = 'string' | 'integer' | 'number' | 'boolean';

const PRIMITIVES: readonly string[] = ['string', 'integer', 'number', 'boolean'];
const INPUT_TYPES: readonly string[] = [...PRIMITIVES, 'null'];
const INPUT_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Output names become Velocity variables in the success template. */
const OUTPUT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED_INPUTS: readonly string[] = ['orgId', 'integrationId', 'rawRequest'];
const RESERVED_OUTPUTS: readonly string[] = [
  'rawResult',
  'input',
  'esc',
  'successTemplateUtils',
  'credentials',
];

export class DataActionContractError extends Error {
  readonly problems: readonly string[];
  constructor(which: string, problems: readonly string[]) {
    super(`${which} breaks the Genesys Data Action contract rules:\n- ${problems.join('\n- ')}`);
    this.name = 'DataActionContractError';
    this.problems = problems;
  }
}

function hasRef(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasRef);
  if (typeof node !== 'object' || node === null) return false;
  return Object.entries(node).some(([key, value]) => key === '$ref' || hasRef(value));
}

function typeOf(schema: JsonSchema): unknown {
  return schema.type;
}

/** Problems with an input contract; empty when Genesys would accept it. */
export function inputContractProblems(schema: JsonSchema): string[] {
  const problems: string[] = [];
  if (hasRef(schema)) problems.push('uses $ref (contracts do not support it)');
  if (schema.type !== 'object') problems.push('the root must be an object');
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, property] of Object.entries(properties)) {
    if (!INPUT_NAME.test(name)) problems.push(`input "${name}": invalid name`);
    if (RESERVED_INPUTS.includes(name)) problems.push(`input "${name}": reserved name`);
    const type = typeOf(property);
    if (type === 'object' || property.properties) problems.push(`input "${name}": nested object`);
    else if (type === 'array' || property.items)
      problems.push(`input "${name}": arrays are not allowed`);
    else if (typeof type !== 'string' || !INPUT_TYPES.includes(type)) {
      problems.push(`input "${name}": type must be one of ${INPUT_TYPES.join(', ')}`);
    }
  }
  for (const required of (schema.required ?? []) as string[]) {
    if (!(required in properties)) problems.push(`required "${required}" is not a property`);
  }
  return problems;
}

/** Problems with an output (success) contract; empty when it is flat and never null. */
export function outputContractProblems(schema: JsonSchema): string[] {
  const problems: string[] = [];
  if (hasRef(schema)) problems.push('uses $ref (contracts do not support it)');
  if (schema.type !== 'object') problems.push('the root must be an object');
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, property] of Object.entries(properties)) {
    if (!OUTPUT_NAME.test(name)) problems.push(`output "${name}": invalid name`);
    if (RESERVED_OUTPUTS.includes(name)) problems.push(`output "${name}": reserved name`);
    const type = typeOf(property);
    if (type === 'array') {
      const items = (property.items ?? {}) as JsonSchema;
      if (items.type === 'array') problems.push(`output "${name}": nested array`);
      else if (typeof items.type !== 'string' || !PRIMITIVES.includes(items.type)) {
        problems.push(`output "${name}": arrays may only hold primitives`);
      }
    } else if (type === 'object' || property.properties) {
      problems.push(`output "${name}": nested object (keep the output flat)`);
    } else if (typeof type !== 'string' || !PRIMITIVES.includes(type)) {
      problems.push(`output "${name}": type must be one of ${PRIMITIVES.join(', ')} (never null)`);
    }
  }
  return problems;
}

/** Collapses a union (`anyOf`) to its first member's type: what Architect sends natively. */
function primitiveOf(property: JsonSchema): JsonSchema {
  const variants = (property.anyOf ?? property.oneOf) as JsonSchema[] | undefined;
  return variants && variants.length > 0
    ? { ...variants[0], description: property.description }
    : property;
}

function simplify(property: JsonSchema): DataActionProperty {
  const flat = primitiveOf(property);
  const out: DataActionProperty = { type: flat.type as DataActionProperty['type'] };
  if (typeof flat.description === 'string') out.description = flat.description;
  if (flat.type === 'array')
    out.items = { type: (flat.items as JsonSchema | undefined)?.type as PrimitiveType };
  else if (flat.items !== undefined || flat.properties !== undefined) {
    // Kept so the validator sees (and rejects) the shape.
    Object.assign(out, { items: flat.items, properties: flat.properties });
  }
  return out;
}

/**
 * The Data Action schema for one side of a zod contract: the zod schema as
 * JSON Schema (draft-04), reduced to what a UI export carries (type,
 * description, items, required) and validated against the contract rules.
 * Throws a {@link DataActionContractError} naming every problem.
 */
export function toDataActionSchema(schema: z.ZodType, side: 'input' | 'output'): DataActionSchema {
  const json = z.toJSONSchema(schema, {
    io: side,
    target: 'draft-04',
    unrepresentable: 'any',
  }) as JsonSchema;
  const properties = Object.fromEntries(
    Object.entries((json.properties ?? {}) as Record<string, JsonSchema>).map(([key, value]) => [
      key,
      simplify(value),
    ]),
  );
  const required = side === 'input' ? ((json.required ?? []) as string[]) : [];
  const result: DataActionSchema = {
    type: 'object',
    ...(required.length > 0 && { required }),
    properties,
    additionalProperties: true,
  };
  const problems =
    side === 'input'
      ? inputContractProblems(result as unknown as JsonSchema)
      : outputContractProblems(result as unknown as JsonSchema);
  // A $ref hidden in the raw schema would have been dropped above: check the source too.
  if (hasRef(json)) problems.unshift('the zod schema produces $ref');
  if (problems.length > 0) throw new DataActionContractError(`The ${side} contract`, problems);
  return result;
}

/** The JSON literal Genesys uses when a translation's JSONPath does not resolve. */
export function defaultLiteral(property: DataActionProperty): string {
  switch (property.type) {
    case 'string':
      return '""';
    case 'integer':
    case 'number':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
      return '[]';
  }
}
