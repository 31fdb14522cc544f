import type { DataActionProperty, DataActionSchema } from './data-action-contract.ts';
import type { YamlValue } from './yaml.writer.ts';

/**
 * Archy building blocks, each in the form a public Archy export uses or, for
 * the few documented actions no export shows, the form of their confirmed
 * siblings (sources: ../shared/reference/archy.md §1–2, and the allow-list in
 * archy-constructs.ts that a test holds the generated YAML to). Values are
 * YAML trees for {@link toYaml}.
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

export function variable(
  kind: string,
  name: string,
  isInput = false,
  initialValue: Node = noValue(),
): Node {
  return { [kind]: { name, initialValue, isInput, isOutput: false } };
}

/**
 * A message-flow variable as message-flow exports declare it: no `isInput`,
 * `isOutput: false` (switch-voice-to-web-messaging, SMS Schedule Callback).
 */
export function flowVariable(kind: string, name: string, initialValue: Node = noValue()): Node {
  return { [kind]: { name, initialValue, isOutput: false } };
}

/** The value a variable starts with, as the contract's translation default would give it. */
function startValue(property: DataActionProperty): Node {
  switch (property.type) {
    case 'string':
      return lit('');
    case 'integer':
    case 'number':
      return lit(0);
    case 'boolean':
      return lit(false);
    case 'array':
      return noValue();
  }
}

/**
 * One `Flow.<output>` variable per output of a contract, starting at the value
 * the contract's translation default would give (empty, 0, false), so a path
 * that never got an answer still hands defined values to Set Participant Data.
 */
export function outputVariables(schema: DataActionSchema, prefix: string): Node[] {
  return Object.entries(schema.properties).map(([name, property]) =>
    flowVariable(archyVariableType(property), `${prefix}${name}`, startValue(property)),
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
  return { decision: { name, condition: exp(condition), outputs: paths({ yes, no }) } };
}

export interface TransferSpec {
  readonly name: string;
  /** An expression evaluating to a queue (`FindQueueById(Flow.targetQueueId)`). */
  readonly queue?: string;
  /** A queue named literally, resolved when the flow is published (the blueprint form). */
  readonly queueName?: string;
  /** An expression evaluating to a list of agent/score pairs, or none. */
  readonly preferredAgents?: string;
  /** An integer expression; a literal 0 when left out. */
  readonly priority?: string;
}

export function transferToAcd(spec: TransferSpec): Node {
  if ((spec.queue === undefined) === (spec.queueName === undefined))
    throw new Error(`transfer "${spec.name}": give exactly one of queue and queueName`);
  return {
    transferToAcd: {
      name: spec.name,
      targetQueue: spec.queue !== undefined ? exp(spec.queue) : lit({ name: spec.queueName! }),
      priority: spec.priority ? exp(spec.priority) : lit(0),
      preferredAgents: spec.preferredAgents ? exp(spec.preferredAgents) : noValue(),
      languageSkill: noValue(),
      directAgent: noValue(),
    },
  };
}

/** One `updateData` statement: `[type, variable, value]`, the value a Node (`exp`/`lit`). */
export type Statement = readonly [string, string, Node];

export function updateData(name: string, statements: readonly Statement[]): Node {
  return {
    updateData: {
      name,
      statements: statements.map(([type, variableName, value]) => ({
        [type]: { variable: variableName, value },
      })),
    },
  };
}

export interface SwitchCase {
  /** A Boolean expression; the first true case runs. */
  readonly when: string;
  readonly actions: Node[];
}

/** `switch` evaluating `firstTrue`: the first true case runs, else the default. */
export function switchFirstTrue(name: string, cases: SwitchCase[], otherwise: Node[]): Node {
  // The exported switch (dr-webmessaging) always has a default with actions: so does ours.
  if (otherwise.length === 0) throw new Error(`switch "${name}" needs default actions`);
  return {
    switch: {
      name,
      evaluate: {
        firstTrue: {
          default: { actions: otherwise },
          cases: cases.map((c) => ({ case: { value: exp(c.when), actions: c.actions } })),
        },
      },
    },
  };
}

export interface ScheduleGroupSpec {
  readonly name: string;
  /** Architect schedule group name, or none (emergency group only). */
  readonly scheduleGroup?: string;
  /** Architect emergency group name, or none. */
  readonly emergencyGroup?: string;
  readonly closed: Node[];
  readonly holiday: Node[];
  readonly emergency: Node[];
}

/** Evaluate Schedule Group now; the open path continues with the next action. */
export function evaluateScheduleGroup(spec: ScheduleGroupSpec): Node {
  const hours = spec.scheduleGroup !== undefined;
  const outputs = paths({
    emergency: spec.emergencyGroup !== undefined ? spec.emergency : [],
    closed: hours ? spec.closed : [],
    holiday: hours ? spec.holiday : [],
  });
  return {
    evaluateScheduleGroup: {
      name: spec.name,
      inServiceSchedules: noValue(),
      evaluate: { now: true },
      scheduleGroup:
        spec.scheduleGroup !== undefined
          ? lit({ name: spec.scheduleGroup })
          : exp('ToScheduleGroup(NOT_SET)'),
      emergencyGroup:
        spec.emergencyGroup !== undefined
          ? exp(`FindEmergencyGroup(${quoted(spec.emergencyGroup)})`)
          : noValue(),
      outputs,
    },
  };
}

/** Set Participant Data: one attribute per `[name, value expression]`. */
export function setParticipantData(
  name: string,
  attributes: ReadonlyArray<readonly [string, string]>,
): Node {
  return {
    setParticipantData: {
      name,
      attributes: attributes.map(([attribute, value]) => ({
        attribute: { name: lit(attribute), value: exp(value) },
      })),
    },
  };
}

/** Send Response: a message to the customer on the conversation's channel. */
export function sendResponse(name: string, messageBody: string): Node {
  return { sendResponse: { name, messageBody: exp(messageBody) } };
}

export interface FindUsersSpec {
  readonly name: string;
  /** A string collection expression of user ids. */
  readonly userIds: string;
  /** The user collection variable the results go to, in the order of the ids. */
  readonly result: string;
  readonly found: Node[];
  readonly partiallyFound: Node[];
  readonly notFound: Node[];
}

/** Output paths with their actions; an empty path is left out, like an unused decision output. */
function paths(byPath: Record<string, Node[]>): Node {
  return Object.fromEntries(
    Object.entries(byPath)
      .filter(([, actions]) => actions.length > 0)
      .map(([path, actions]) => [path, { actions }]),
  );
}

/** Find Users by Id: the whole id collection in one lookup, with its three paths. */
export function findUsersById(spec: FindUsersSpec): Node {
  return {
    findUsersById: {
      name: spec.name,
      userIds: exp(spec.userIds),
      findResult: variableRef(spec.result),
      outputs: paths({
        found: spec.found,
        partiallyFound: spec.partiallyFound,
        notFound: spec.notFound,
      }),
    },
  };
}
