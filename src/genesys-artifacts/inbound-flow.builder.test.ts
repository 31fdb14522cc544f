import { describe, expect, it } from 'vitest';
import { ROUTING_ACTIONS } from '../domain/routing-policy.ts';
import { ArtifactOptions, PLACEHOLDER_OPTIONS } from './artifact-options.ts';
import type { Node } from './archy-actions.ts';
import { buildLookupAction } from './genesys-artifacts.ts';
import { buildInboundFlow, inboundFlowYaml, MAX_PREFERRED_AGENTS } from './inbound-flow.builder.ts';

const options = ArtifactOptions.parse({
  ...PLACEHOLDER_OPTIONS,
  defaultQueueId: 'q-default',
  fallbackQueueId: 'q-fallback',
  vipQueueId: 'q-vip',
  triageQueueId: 'q-triage',
});
const lookup = buildLookupAction(options);
const flow = buildInboundFlow(options, lookup) as { inboundShortMessage: Node };
const root = flow.inboundShortMessage as {
  variables: Node[];
  states: Array<{ state: { actions: Node[] } }>;
};
const stateActions = root.states[0]!.state.actions;
const call = (stateActions[0] as { callData: Node }).callData as {
  category: Record<
    string,
    { dataAction: Record<string, { inputs: Node; successOutputs: Node; failureOutputs: Node }> }
  >;
  outputs: {
    success: { actions: Node[] };
    failure: { actions: Node[] };
    timeout: { actions: Node[] };
  };
  timeout: Node;
};
const dataAction = call.category[options.integrationName]!.dataAction[options.actionName]!;

interface Transfer {
  name: string;
  targetQueue: { exp: string };
  preferredAgents: { exp?: string; noValue?: true };
}

/**
 * Walks actions the way Architect would for a given lookup answer: decisions on
 * Flow.action and on the preferred-agent count are evaluated, loops are only
 * collecting agents. Returns the first Transfer to ACD reached.
 */
function firstTransfer(
  actions: Node[],
  action: string,
  hasPreferred: boolean,
): Transfer | undefined {
  for (const node of actions) {
    if ('transferToAcd' in node) return node.transferToAcd as unknown as Transfer;
    if ('decision' in node) {
      const d = node.decision as {
        condition: { exp: string };
        outputs: { yes?: { actions: Node[] }; no?: { actions: Node[] } };
      };
      const match = /^Flow\.action == "(\w+)"$/.exec(d.condition.exp);
      const yes = match
        ? match[1] === action
        : d.condition.exp.startsWith('Count(')
          ? hasPreferred
          : false;
      const found = firstTransfer(
        (yes ? d.outputs.yes : d.outputs.no)?.actions ?? [],
        action,
        hasPreferred,
      );
      if (found) return found;
    }
  }
  return undefined;
}

const route = (action: string, hasPreferred = true) =>
  firstTransfer(call.outputs.success.actions, action, hasPreferred);
const ownerQueue =
  'If(IsNotSetOrEmpty(Flow.queueId), FindQueueById("q-default"), FindQueueById(Flow.queueId))';
const pairs = 'MakeListAgentScorePair(Flow.preferredAgents, Flow.preferredScores)';

describe('inbound message flow routing', () => {
  it('agent: the bridge queue, preferring the collected agents', () => {
    expect(route('agent')).toMatchObject({
      targetQueue: { exp: ownerQueue },
      preferredAgents: { exp: pairs },
    });
  });

  it('agent with no known agent left: a plain transfer to the same queue (no empty pair list)', () => {
    expect(route('agent', false)).toMatchObject({
      targetQueue: { exp: ownerQueue },
      preferredAgents: { noValue: true },
    });
  });

  it('queue: the last queue, no preferred agents', () => {
    expect(route('queue')).toMatchObject({
      targetQueue: { exp: ownerQueue },
      preferredAgents: { noValue: true },
    });
  });

  it('vip: the VIP queue', () => {
    expect(route('vip')?.targetQueue.exp).toBe('FindQueueById("q-vip")');
  });

  it('restart: the triage queue (fresh journey)', () => {
    expect(route('restart')).toMatchObject({
      targetQueue: { exp: 'FindQueueById("q-triage")' },
      preferredAgents: { noValue: true },
    });
  });

  it.each(['fallback', 'something-new', ''])('%j: the fallback queue', (action) => {
    expect(route(action)?.targetQueue.exp).toBe('FindQueueById("q-fallback")');
  });

  it('has a branch for every action the policy can answer', () => {
    for (const action of ROUTING_ACTIONS) expect(route(action)?.name).not.toMatch(/unknown action/);
  });

  it('failure and timeout of the lookup go to the fallback queue', () => {
    for (const path of [call.outputs.failure, call.outputs.timeout]) {
      expect(firstTransfer(path.actions, 'agent', true)?.targetQueue.exp).toBe(
        'FindQueueById("q-fallback")',
      );
    }
    expect(call.timeout).toEqual({ lit: { seconds: options.timeoutSeconds } });
  });

  it('ends the state with a fallback transfer and a disconnect, in case a transfer fails', () => {
    expect(stateActions.slice(1).map((n) => Object.keys(n)[0])).toEqual([
      'transferToAcd',
      'disconnect',
    ]);
  });
});

describe('inbound message flow data binding', () => {
  it('binds every lookup input to the message or the default queue', () => {
    expect(dataAction.inputs).toEqual({
      address: { exp: 'Message.Message.senderAddress' },
      conversationId: { exp: 'Message.ConversationId' },
      queueId: { lit: 'q-default' },
      isNewConversation: { exp: 'Message.IsNewConversation' },
    });
  });

  it('binds every output of the contract to a declared Flow variable of the matching type', () => {
    const outputs = Object.keys(lookup.contract.output.successSchema.properties);
    expect(Object.keys(dataAction.successOutputs)).toEqual(outputs);
    const declared = new Map(
      root.variables.map((v) => {
        const [kind, body] = Object.entries(v)[0]!;
        return [(body as { name: string }).name, kind];
      }),
    );
    expect(declared.get('Flow.agentIds')).toBe('stringCollectionVariable');
    expect(declared.get('Flow.agentScores')).toBe('integerCollectionVariable');
    expect(declared.get('Flow.found')).toBe('booleanVariable');
    for (const name of outputs) expect(declared.has(`Flow.${name}`)).toBe(true);
  });

  it('declares every Flow variable the YAML uses', () => {
    const text = inboundFlowYaml(options, lookup);
    const used = new Set(text.match(/Flow\.[A-Za-z]+/g));
    const declared = new Set(
      root.variables.map((v) => (Object.values(v)[0] as unknown as { name: string }).name),
    );
    expect([...used].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('lists every data action failure output as noValue', () => {
    expect(Object.keys(dataAction.failureOutputs)).toContain('errorCode');
    expect(
      Object.values(dataAction.failureOutputs).every(
        (v) => JSON.stringify(v) === '{"noValue":true}',
      ),
    ).toBe(true);
  });

  it('caps the preferred agents at the Genesys limit and skips unknown users', () => {
    const text = inboundFlowYaml(options, lookup);
    expect(text).toContain(
      `Min(Min(Count(Flow.agentIds), Count(Flow.agentScores)), ${MAX_PREFERRED_AGENTS})`,
    );
    expect(text).toContain('IsSet(Flow.candidateAgent)');
  });

  it('marks the unverified constructs at the top of the file', () => {
    const header = inboundFlowYaml(options, lookup).split('\ninboundShortMessage:')[0]!;
    expect(header).toMatch(/UNVERIFIED/);
    expect(header).toMatch(/FindQueueById/);
    expect(header).toMatch(/MakeListAgentScorePair/);
    expect(header).toContain(`${options.preferredAgentWaitSeconds} s`);
  });
});
