import type { DataActionProperty, DataActionSchema } from './data-action-contract.ts';
import type { YamlValue } from './yaml.writer.ts';

/**
 * Archy building blocks, each in the form a public Archy export uses (sources
 * in docs/genesys-admin.md "What is verified"). Values are YAML trees for
 * {@link toYaml}.
 */

export type Node = { [key: string]: YamlValue };

/** The failure outputs Architect lists for every Data Action (reference §1.3). */
export const DATA_ACTION_FAILURE_OUTPUTS = [
  'errorCode',
  'status',
  'correlationId',
  'entityId',
  'entityName',
  'userMessage',
  'userParamsMessage',
  'userParams.key',
  'userParams.value',
  'details.errorCode',
  'details.fieldName',
  'details.entityId',
  'details.entityName',
] as const;

export const noValue = (): Node => ({ noValue: true });
export const lit = (value: YamlValue): Node => ({ lit: value });
export const exp = (expression: string): Node => ({ exp: expression });
export const variableRef = (name: string): Node => ({ var: name });

/** An Architect string literal inside an expression: `"text"`. */
export function quoted(text: string): string {
  if (/["\\\n\r]/.test(text))
    throw new Error(`cannot embed ${JSON.stringify(text)} in an expression`);
  return `"${text}"`;
}

const ARCHY_TYPES: Record<string, string> = {
  string: 'string',
  integer: 'integer',
  number: 'decimal',
  boolean: 'boolean',
};

/** `stringVariable`, `integerCollectionVariable`, … for a contract property. */
export function archyVariableType(property: DataActionProperty): string {
  const base =
    ARCHY_TYPES[property.type === 'array' ? (property.items?.type ?? '') : property.type];
  if (!base) throw new Error(`no Architect variable type for ${JSON.stringify(property)}`);
  return property.type === 'array' ? `${base}CollectionVariable` : `${base}Variable`;
}

export function variable(kind: string, name: string, isInput = false): Node {
  return { [kind]: { name, initialValue: noValue(), isInput, isOutput: false } };
}

/** One `Flow.<output>` variable per output of a contract. */
export function outputVariables(schema: DataActionSchema, prefix: string): Node[] {
  return Object.entries(schema.properties).map(([name, property]) =>
    variable(archyVariableType(property), `${prefix}${name}`),
  );
}

export interface CallDataSpec {
  readonly name: string;
  readonly category: string;
  readonly action: string;
  readonly inputs: Node;
  readonly successOutputs: Node;
  readonly timeout: Node;
  readonly success: Node[];
  readonly failure: Node[];
  readonly timeoutActions: Node[];
}

export function callData(spec: CallDataSpec): Node {
  const failureOutputs = Object.fromEntries(
    DATA_ACTION_FAILURE_OUTPUTS.map((name) => [name, noValue()]),
  );
  return {
    callData: {
      name: spec.name,
      timeout: spec.timeout,
      category: {
        [spec.category]: {
          dataAction: {
            [spec.action]: {
              inputs: spec.inputs,
              successOutputs: spec.successOutputs,
              failureOutputs,
            },
          },
        },
      },
      outputs: {
        success: { actions: spec.success },
        failure: { actions: spec.failure },
        timeout: { actions: spec.timeoutActions },
      },
    },
  };
}

/** A yes/no decision; an empty branch is left out (the flow continues after the decision). */
export function decision(name: string, condition: string, yes: Node[], no: Node[]): Node {
  const outputs: Node = {};
  if (yes.length > 0) outputs.yes = { actions: yes };
  if (no.length > 0) outputs.no = { actions: no };
  return { decision: { name, condition: exp(condition), outputs } };
}

export interface TransferSpec {
  readonly name: string;
  /** An expression evaluating to a queue. */
  readonly queue: string;
  /** An expression evaluating to a list of agent/score pairs, or none. */
  readonly preferredAgents?: string;
}

export function transferToAcd(spec: TransferSpec): Node {
  return {
    transferToAcd: {
      name: spec.name,
      targetQueue: exp(spec.queue),
      priority: lit(0),
      preferredAgents: spec.preferredAgents ? exp(spec.preferredAgents) : noValue(),
      languageSkill: noValue(),
      directAgent: noValue(),
    },
  };
}

/** `updateData` with one statement per `[type, variable, expression]`. */
export function updateData(
  name: string,
  statements: ReadonlyArray<[string, string, string]>,
): Node {
  return {
    updateData: {
      name,
      statements: statements.map(([type, variableName, expression]) => ({
        [type]: { variable: variableName, value: exp(expression) },
      })),
    },
  };
}

export function loop(name: string, indexVariable: string, count: Node, actions: Node[]): Node {
  return {
    loop: {
      name,
      currentIndex: variableRef(indexVariable),
      loopCount: count,
      outputs: { loop: { actions } },
    },
  };
}
