import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ArtifactOptions, PLACEHOLDER_OPTIONS } from './artifact-options.ts';
import { ARTIFACT_PATHS, buildLookupAction } from './genesys-artifacts.ts';
import { inboundFlowYaml } from './inbound-flow.builder.ts';

/**
 * The generated Archy YAML uses only constructs a public Genesys export shows
 * or Genesys documents (../shared/reference/archy.md §1–2), and every path
 * through the inbound flow ends in a Transfer to ACD.
 */

type Tree = Record<string, unknown>;

/** Action keys of an inbound message flow, with where each is seen. */
const MESSAGE_FLOW_ACTIONS: Record<string, string> = {
  // GenesysCloudBlueprints/switch-voice-to-web-messaging, inbound-message-flow/Switch from Voice Channel with Context.yaml
  callData: 'switch-voice-to-web-messaging',
  updateData: 'switch-voice-to-web-messaging',
  decision: 'switch-voice-to-web-messaging',
  sendResponse: 'switch-voice-to-web-messaging ("Greet customer")',
  transferToAcd:
    'switch-voice-to-web-messaging; merge-ephemeral MergeExternalContactMessageFlow.yaml',
  // GenesysCloudBlueprints/dr-webmessaging-blueprint, webmessage-emergency-group/modules/flows/MyWebMessenger.yaml
  switch: 'dr-webmessaging MyWebMessenger.yaml (evaluate: firstTrue)',
  evaluateScheduleGroup: 'dr-webmessaging MyWebMessenger.yaml',
  // switch-voice-to-web-messaging, in-queue-call-flow/Switch to Web Messaging via SMS.yaml
  setParticipantData: 'switch-voice-to-web-messaging (in-queue flow)',
  // Documented, in no export: help.mypurecloud.com/articles/find-users-by-id-action
  findUsersById: 'help find-users-by-id-action (documented; YAML form follows findQueue)',
};

/** Action keys of the post-event workflow. */
const WORKFLOW_ACTIONS: Record<string, string> = {
  // process-automation-trigger-with-salesforce, terraform/modules/flow/Conversation Summary.yaml
  callData: 'process-automation-trigger-with-salesforce',
  updateData: 'process-automation-trigger-with-salesforce',
  endWorkflow: 'process-automation-trigger-with-salesforce; ani-blacklist blacklist.yaml',
  // callback-prioritization, terraform/Callback-Prioritization-Workflow.yaml
  loop: 'callback-prioritization workflow',
  wait: 'callback-prioritization workflow',
};

/** Functions inside `exp:` expressions. */
const FUNCTIONS: Record<string, string> = {
  FindQueueById: 'switch-voice-to-web-messaging (targetQueue)',
  FindUserById: 'switch-voice-to-web-messaging',
  MakeList: 'switch-voice-to-web-messaging',
  MakeListAgentScorePair: 'switch-voice-to-web-messaging',
  IsNotSetOrEmpty: 'switch-voice-to-web-messaging',
  Append: 'switch-voice-to-web-messaging',
  FindEmergencyGroup: 'dr-webmessaging MyWebMessenger.yaml',
  ToScheduleGroup: 'dr-webmessaging MyWebMessenger.yaml',
  GetJsonObjectProperty: 'process-automation-trigger-with-salesforce; switch-voice',
  ToString: 'process-automation-trigger-with-salesforce (ToString(GetJsonObjectProperty(…)))',
};

/** Variable declarations. */
const VARIABLES: Record<string, string> = {
  stringVariable: 'switch-voice-to-web-messaging',
  booleanVariable: 'switch-voice-to-web-messaging (in-queue flow)',
  integerVariable:
    'negative-sentiment-callback workflow; design-architect-flow-data-actions-for-resiliency',
  stringCollectionVariable:
    'design-architect-flow-data-actions-for-resiliency CacheExampleFlow.yaml',
  integerCollectionVariable:
    'design-architect-flow-data-actions-for-resiliency CacheExampleFlow.yaml',
  agentScorePairCollectionVariable: 'switch-voice-to-web-messaging',
  jsonVariable: 'process-automation-trigger-with-salesforce (Flow.jsonData, isInput: true)',
  userCollectionVariable: 'help find-users-by-id-action (its documented result)',
};

const committed = (path: string) =>
  parse(readFileSync(new URL(`../../genesys/${path}`, import.meta.url), 'utf8')) as Tree;

const scheduled = ArtifactOptions.parse({
  ...PLACEHOLDER_OPTIONS,
  acknowledgement: '',
  queueSchedules: {
    q1: { scheduleGroup: 'Hours', emergencyGroup: 'Storm', offHoursQueueId: 'q2' },
    q3: { emergencyGroup: 'Storm' },
  },
});
const FLOWS: Array<[string, Tree]> = [
  ['committed flow', committed(ARTIFACT_PATHS.inboundFlow)],
  [
    'flow with two schedules, no acknowledgement',
    parse(inboundFlowYaml(scheduled, buildLookupAction(scheduled))) as Tree,
  ],
];
const WORKFLOW = committed(ARTIFACT_PATHS.postEventWorkflow);

/** Every action key, variable kind and expression function in a tree. */
function constructs(
  tree: unknown,
  found = {
    actions: new Set<string>(),
    variables: new Set<string>(),
    functions: new Set<string>(),
  },
) {
  if (Array.isArray(tree)) tree.forEach((item) => constructs(item, found));
  else if (tree && typeof tree === 'object') {
    for (const [key, value] of Object.entries(tree)) {
      if ((key === 'actions' || key === 'variables') && Array.isArray(value)) {
        for (const item of value as Tree[]) {
          for (const k of Object.keys(item)) found[key].add(k);
        }
      }
      if (key === 'exp' && typeof value === 'string') {
        for (const m of value.matchAll(/([A-Za-z]+)\(/g)) found.functions.add(m[1]!);
      }
      constructs(value, found);
    }
  }
  return found;
}

const outside = (used: Set<string>, allowed: Record<string, string>) =>
  [...used].filter((name) => !(name in allowed));

describe('only confirmed Archy constructs', () => {
  it.each(FLOWS)('%s: actions, variables and functions are all on the allow-list', (_, flow) => {
    const used = constructs(flow);
    expect(outside(used.actions, MESSAGE_FLOW_ACTIONS)).toEqual([]);
    expect(outside(used.variables, VARIABLES)).toEqual([]);
    expect(outside(used.functions, FUNCTIONS)).toEqual([]);
    expect(used.actions.has('disconnect')).toBe(false);
  });

  it.each(FLOWS)('%s: every switch has a default with actions, as the exported one', (_, flow) => {
    const switches: Tree[] = [];
    const visit = (tree: unknown): void => {
      if (Array.isArray(tree)) tree.forEach(visit);
      else if (tree && typeof tree === 'object') {
        for (const [key, value] of Object.entries(tree)) {
          if (key === 'switch') switches.push(value as Tree);
          visit(value);
        }
      }
    };
    visit(flow);
    expect(switches.length).toBeGreaterThan(0);
    for (const sw of switches) {
      const firstTrue = (sw.evaluate as Tree).firstTrue as { default?: { actions: unknown[] } };
      expect(firstTrue.default?.actions.length, String(sw.name)).toBeGreaterThan(0);
    }
  });

  it('the workflow too', () => {
    const used = constructs(WORKFLOW);
    expect(outside(used.actions, WORKFLOW_ACTIONS)).toEqual([]);
    expect(outside(used.variables, VARIABLES)).toEqual([]);
    expect(outside(used.functions, FUNCTIONS)).toEqual([]);
  });

  it('the check sees a construct outside the list', () => {
    const planted = {
      actions: [{ loop: { outputs: { loop: { actions: [{ disconnect: {} }] } } } }],
    };
    expect(outside(constructs(planted).actions, MESSAGE_FLOW_ACTIONS)).toEqual([
      'loop',
      'disconnect',
    ]);
    expect([...constructs({ exp: 'Count(Flow.x) > Min(1, 2)' }).functions]).toEqual([
      'Count',
      'Min',
    ]);
  });
});

/** One way through the flow: the actions it runs, and how it ends. */
interface Path {
  readonly steps: string[];
  readonly end: 'transferred' | 'ran off the end' | 'disconnected';
}

const BRANCHES: Record<string, (body: Tree) => Array<unknown[] | undefined>> = {
  callData: (b) => ['success', 'failure', 'timeout'].map((k) => outputActions(b, k)),
  decision: (b) => ['yes', 'no'].map((k) => outputActions(b, k)),
  findUsersById: (b) => ['found', 'partiallyFound', 'notFound'].map((k) => outputActions(b, k)),
  // The open path has no output: it continues with the next action.
  evaluateScheduleGroup: (b) => [
    undefined,
    ...['closed', 'holiday', 'emergency'].map((k) => outputActions(b, k)),
  ],
  switch: (b) => {
    const firstTrue = (b.evaluate as Tree).firstTrue as {
      cases: Array<{ case: { actions: unknown[] } }>;
      default?: { actions: unknown[] };
    };
    return [...firstTrue.cases.map((c) => c.case.actions), firstTrue.default?.actions];
  },
};
const STRAIGHT = new Set(['updateData', 'setParticipantData', 'sendResponse']);

function outputActions(body: Tree, key: string): unknown[] | undefined {
  return ((body.outputs ?? {}) as Record<string, { actions: unknown[] } | undefined>)[key]?.actions;
}

/** Every path through `actions` followed by `rest` (what runs after a branch ends). */
function paths(actions: unknown[], rest: unknown[][], steps: string[]): Path[] {
  if (actions.length === 0) {
    if (rest.length === 0) return [{ steps, end: 'ran off the end' }];
    return paths(rest[0]!, rest.slice(1), steps);
  }
  const [node, ...after] = actions as Tree[];
  const [kind, body] = Object.entries(node!)[0]! as [string, Tree];
  const here = [...steps, `${kind}:${String(body.name ?? '')}`];
  if (kind === 'disconnect') return [{ steps: here, end: 'disconnected' }];
  if (kind === 'transferToAcd')
    // Succeeds (the flow ends) or takes its Failure output (the flow goes on).
    return [{ steps: here, end: 'transferred' }, ...paths(after, rest, here)];
  if (STRAIGHT.has(kind)) return paths(after, rest, here);
  const branch = BRANCHES[kind];
  if (!branch) throw new Error(`no path rule for "${kind}"`);
  return branch(body).flatMap((taken) => paths(taken ?? [], [after, ...rest], here));
}

describe('every path ends in a transfer', () => {
  it.each(FLOWS)('%s', (_, flow) => {
    const root = flow.inboundShortMessage as { states: Array<{ state: { actions: unknown[] } }> };
    const all = paths(root.states[0]!.state.actions, [], []);
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((p) => p.end === 'disconnected')).toEqual([]);
    // Running off the end happens only after the last resort, the fallback queue named literally, failed too.
    const offTheEnd = all.filter((p) => p.end === 'ran off the end');
    expect(offTheEnd.every((p) => p.steps.at(-1) === 'transferToAcd:Fallback queue')).toBe(true);
    // Every path tries at least two queues before it can run off the end.
    expect(
      offTheEnd.every((p) => p.steps.filter((s) => s.startsWith('transferToAcd:')).length >= 2),
    ).toBe(true);
  });

  it('the walk sees a path that ends without a transfer', () => {
    const planted = [
      { decision: { name: 'd', outputs: { yes: { actions: [{ disconnect: { name: 'x' } }] } } } },
      { transferToAcd: { name: 'Fallback queue' } },
    ];
    expect(paths(planted, [], []).map((p) => p.end)).toEqual([
      'disconnected',
      'transferred',
      'ran off the end',
    ]);
  });
});
