import type { z } from 'zod';
import {
  defaultLiteral,
  toDataActionSchema,
  type DataActionProperty,
  type DataActionSchema,
} from './data-action-contract.ts';

/**
 * Builds a Web Services Data Action export (`custom-rest-actions`), in the
 * shape the Genesys UI exports and imports (fixtures `data-action-*.json`):
 * the request is a Velocity JSON body, the response a translation map with a
 * JSON-literal default for every output and a success template that rebuilds
 * the flat object. Everything field-shaped comes from the zod contracts.
 */

export interface DataActionExport {
  name: string;
  integrationType: 'custom-rest-actions';
  actionType: 'custom';
  config: {
    request: {
      requestUrlTemplate: string;
      requestType: 'POST';
      headers: Record<string, string>;
      requestTemplate: string;
    };
    response: {
      translationMap: Record<string, string>;
      translationMapDefaults: Record<string, string>;
      successTemplate: string;
    };
    timeoutSeconds: number;
  };
  contract: {
    input: { inputSchema: DataActionSchema };
    output: { successSchema: DataActionSchema };
  };
  secure: false;
}

export interface DataActionSpec {
  readonly name: string;
  readonly url: string;
  /** Field of the integration's User Defined credential sent as `X-Api-Key`. */
  readonly credentialField: string;
  readonly timeoutSeconds: number;
  readonly input: z.ZodType;
  readonly output: z.ZodType;
  /**
   * Numeric inputs declared as text and written into the body as JSON numbers:
   * a caller that holds them as strings (a workflow reading its JSON input)
   * passes a 13-digit epoch time intact, never through an Architect integer.
   */
  readonly numbersAsText?: boolean;
}

/**
 * One body member. Required members are always rendered; optional ones only
 * when Architect passed a value (`$!{}` renders nothing for a missing input),
 * so the bridge applies its own defaults instead of receiving a broken value.
 * Strings go through `$esc.jsonString` (quotes, backslashes, control
 * characters); numbers and booleans are inserted raw so they keep their type.
 */
function bodyMember(
  name: string,
  property: DataActionProperty,
  required: boolean,
  rawNumbers: ReadonlySet<string>,
): string {
  const quoted = property.type === 'string' && !rawNumbers.has(name);
  const value = quoted ? `"$esc.jsonString(\${input.${name}})"` : `\${input.${name}}`;
  const member = `"${name}": ${value}`;
  return required ? member : `#if("$!{input.${name}}" != ""), ${member}#end`;
}

/**
 * The Velocity request body for an input contract: required members first, then
 * one line per optional member (whitespace only differs with Velocity's line gobbling).
 */
export function requestTemplate(
  schema: DataActionSchema,
  rawNumbers: ReadonlySet<string> = new Set(),
): string {
  const required = schema.required ?? [];
  if (required.length === 0)
    throw new Error('the request template needs at least one required input');
  const entries = Object.entries(schema.properties);
  const first = entries
    .filter(([name]) => required.includes(name))
    .map(([name, property]) => `  ${bodyMember(name, property, true, rawNumbers)}`)
    .join(',\n');
  const rest = entries
    .filter(([name]) => !required.includes(name))
    .map(([name, property]) => `\n${bodyMember(name, property, false, rawNumbers)}`)
    .join('');
  return `{\n${first}${rest}\n}`;
}

/** One JSONPath per output field, `$.field`. */
export function translationMap(schema: DataActionSchema): Record<string, string> {
  return Object.fromEntries(Object.keys(schema.properties).map((name) => [name, `$.${name}`]));
}

/** A JSON literal for every output: used when the JSONPath does not resolve. */
export function translationMapDefaults(schema: DataActionSchema): Record<string, string> {
  return Object.fromEntries(
    Object.entries(schema.properties).map(([name, property]) => [name, defaultLiteral(property)]),
  );
}

/** Rebuilds the flat object: translated values are JSON already, inserted raw. */
export function successTemplate(schema: DataActionSchema): string {
  const members = Object.keys(schema.properties).map((name) => `"${name}": \${${name}}`);
  return `{${members.join(', ')}}`;
}

/** The numeric inputs of a schema turned into text inputs, and their names. */
function numbersToText(schema: DataActionSchema): {
  schema: DataActionSchema;
  rawNumbers: Set<string>;
} {
  const rawNumbers = new Set<string>();
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([name, property]) => {
      if (property.type !== 'integer' && property.type !== 'number') return [name, property];
      rawNumbers.add(name);
      const what = property.description ? `${property.description}; ` : '';
      return [name, { type: 'string', description: `${what}digits, sent as a JSON number` }];
    }),
  );
  return { schema: { ...schema, properties }, rawNumbers };
}

export function buildDataAction(spec: DataActionSpec): DataActionExport {
  const declared = toDataActionSchema(spec.input, 'input');
  const { schema: inputSchema, rawNumbers } = spec.numbersAsText
    ? numbersToText(declared)
    : { schema: declared, rawNumbers: new Set<string>() };
  const successSchema = toDataActionSchema(spec.output, 'output');
  return {
    name: spec.name,
    integrationType: 'custom-rest-actions',
    actionType: 'custom',
    config: {
      request: {
        requestUrlTemplate: spec.url,
        requestType: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Api-Key': `\${credentials.${spec.credentialField}}`,
        },
        requestTemplate: requestTemplate(inputSchema, rawNumbers),
      },
      response: {
        translationMap: translationMap(successSchema),
        translationMapDefaults: translationMapDefaults(successSchema),
        successTemplate: successTemplate(successSchema),
      },
      timeoutSeconds: spec.timeoutSeconds,
    },
    contract: {
      input: { inputSchema },
      output: { successSchema },
    },
    secure: false,
  };
}
