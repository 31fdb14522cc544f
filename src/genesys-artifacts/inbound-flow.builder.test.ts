import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  playMessageFlow,
  type LookupOutcome,
  type Org,
} from '../../test/emulators/genesys/message-flow-player.ts';
import { AGENT_CONTEXT, agentContextAttributes, NOT_FOR_THE_AGENT } from './agent-context.ts';
import { ArtifactOptions, PLACEHOLDER_OPTIONS } from './artifact-options.ts';
import { buildLookupAction } from './genesys-artifacts.ts';
import { inboundFlowYaml } from './inbound-flow.builder.ts';
import { aDecision } from '../../test/factories/decision.factory.ts';
import { acdPriority } from './inbound-flow.steps.ts';

/**
 * The generated flow, played message by message against a described org
 * (test/emulators/genesys/message-flow-player.ts): where the customer goes,
 * which agents are preferred, what the customer is told and what the agent sees.
 */

const options = ArtifactOptions.parse({
  ...PLACEHOLDER_OPTIONS,
  defaultQueueId: 'q-default',
  fallbackQueueId: 'q-fallback',
  fallbackQueueName: 'Fallback',
  vipQueueId: 'q-vip',
  triageQueueId: 'q-triage',
  queueSchedules: {
    'q-support': {
      scheduleGroup: 'Support hours',
      emergencyGroup: 'Storm',
      offHoursQueueId: 'q-night',
      emergencyQueueId: 'q-crisis',
    },
  },
});
const lookupAction = buildLookupAction(options);
const flowText = inboundFlowYaml(options, lookupAction);

const org: Org = {
  queues: {
    'q-default': 'Default',
    'q-fallback': 'Fallback',
    'q-vip': 'VIP',
    'q-triage': 'Triage',
    'q-support': 'Support',
    'q-night': 'Night',
    'q-crisis': 'Crisis',
  },
  users: new Set(['ana', 'bia', 'caio']),
};

/** The empty answer, from the one decision factory: a new field is added there. */
const NONE = aDecision({ queueId: 'q-fallback' });

/** A lookup answer sending the customer to Ana (then Bia) in q-support. */
function answer(overrides: Record<string, unknown> = {}): LookupOutcome {
  return {
    path: 'success',
    output: {
      ...NONE,
      found: true,
      action: 'agent',
      agentId: 'ana',
      agentScore: 100,
      agentIds: ['ana', 'bia'],
      agentScores: [100, 90],
      queueId: 'q-support',
      reason: 'owner_unresolved',
      lastAgentName: 'Ana Souza',
      caseId: '500Cs0000001',
      caseNumber: '00001042',
      contactId: '003Cs0000001',
      screenPopId: '500Cs0000001',
      unresolved: true,
      priority: 10,
      contextSummary: 'Ana Souza, 2 h ago, Support: refund pending',
      ...overrides,
    },
  };
}

const play = (lookup: LookupOutcome, world: Partial<Org> = {}, text = flowText) =>
  playMessageFlow(parse(text) as Record<string, unknown>, { ...org, ...world }, lookup);

describe('inbound message flow: where the customer goes', () => {
  it('agent: the queue the bridge chose, ranked agents preferred, at the lookup priority', () => {
    const run = play(answer());
    expect(run.routedBy).toMatchObject({
      queueId: 'q-support',
      preferredAgents: [
        { agent: 'ana', score: 100 },
        { agent: 'bia', score: 90 },
      ],
      priority: 10,
    });
    expect(run.transfers).toHaveLength(1);
  });

  it('an earlier owner Genesys no longer knows: the owner alone is preferred', () => {
    const run = play(answer({ agentIds: ['ana', 'gone'], agentScores: [100, 90] }));
    expect(run.transfers.map((t) => t.succeeded)).toEqual([false, true]);
    expect(run.routedBy?.preferredAgents).toEqual([{ agent: 'ana', score: 100 }]);
  });

  it('the owner unknown too: the same queue, no preferred agent', () => {
    const run = play(answer({ agentId: 'gone', agentIds: ['gone', 'bia'] }));
    expect(run.routedBy).toMatchObject({ queueId: 'q-support', preferredAgents: [] });
  });

  it('more pairs than Genesys takes (TooManyPreferredAgents): the owner alone', () => {
    const ids = Array.from({ length: 21 }, (_, i) => (i === 0 ? 'ana' : 'bia'));
    const run = play(answer({ agentIds: ids, agentScores: ids.map(() => 50) }));
    expect(run.routedBy?.preferredAgents).toEqual([{ agent: 'ana', score: 100 }]);
  });

  it('queue: the bridge queue without preferred agents', () => {
    const run = play(answer({ action: 'queue', agentId: '', agentIds: [], agentScores: [] }));
    expect(run.routedBy).toMatchObject({ queueId: 'q-support', preferredAgents: [] });
  });

  it.each([
    ['vip', 'q-vip'],
    ['restart', 'q-triage'],
    ['fallback', 'q-fallback'],
    ['something-new', 'q-fallback'],
  ])('%s: %s', (action, queueId) => {
    const run = play(answer({ action, agentId: '', agentIds: [], agentScores: [] }));
    expect(run.routedBy?.queueId).toBe(queueId);
  });

  it('agent without a queue from the bridge: the default queue', () => {
    expect(play(answer({ queueId: '' })).routedBy?.queueId).toBe('q-default');
  });

  it.each(['failure', 'timeout'] as const)(
    'lookup %s: the fallback queue, and the agent sees why',
    (path) => {
      const run = play({ path });
      expect(run.routedBy?.queueId).toBe('q-fallback');
      expect(run.participantData['Continuity.reason']).toBe(
        path === 'failure' ? 'lookup_failed' : 'lookup_timed_out',
      );
      expect(run.participantData['Continuity.lastAgentName']).toBe('');
    },
  );

  it('a queue Genesys does not know: the fallback queue, named literally', () => {
    const run = play(answer({ queueId: 'q-deleted', action: 'queue', agentIds: [], agentId: '' }));
    expect(run.transfers.map((t) => [t.queueId, t.succeeded])).toEqual([
      [undefined, false],
      ['q-fallback', true],
    ]);
    expect(run.routedBy?.name).toBe('Fallback queue');
  });

  it('the lookup timeout is shorter than the flow wait, and longer than the bridge deadline', () => {
    expect(flowText).toMatch(/timeout:\n\s+lit:\n\s+minutes: 1\n/);
    expect(lookupAction.config.timeoutSeconds).toBeLessThan(60);
    expect(lookupAction.config.timeoutSeconds * 1000).toBeGreaterThan(options.lookupDeadlineMs);
  });
});

describe('inbound message flow: opening hours', () => {
  it('open: no change, the acknowledgement', () => {
    const run = play(answer());
    expect(run.routedBy?.queueId).toBe('q-support');
    expect(run.messages).toEqual([options.acknowledgement]);
  });

  it.each(['closed', 'holiday'] as const)(
    '%s: the off-hours queue and when they will hear back; the owner still preferred',
    (state) => {
      const groups = new Set(['Support hours']);
      const run = play(
        answer(),
        state === 'closed' ? { closedScheduleGroups: groups } : { holidayScheduleGroups: groups },
      );
      expect(run.routedBy?.queueId).toBe('q-night');
      expect(run.routedBy?.preferredAgents[0]).toEqual({ agent: 'ana', score: 100 });
      expect(run.messages).toEqual([options.closedMessage]);
    },
  );

  it('emergency: the emergency queue and its message, even when also closed', () => {
    const run = play(answer(), {
      activeEmergencyGroups: new Set(['Storm']),
      closedScheduleGroups: new Set(['Support hours']),
    });
    expect(run.routedBy?.queueId).toBe('q-crisis');
    expect(run.messages).toEqual([options.emergencyMessage]);
  });

  it('a queue without a schedule is not evaluated', () => {
    const run = play(answer({ action: 'vip' }), {
      closedScheduleGroups: new Set(['Support hours']),
    });
    expect(run.routedBy?.queueId).toBe('q-vip');
  });

  it('closed after a failed lookup: the fallback queue has no schedule here, it takes the message', () => {
    expect(
      play({ path: 'failure' }, { closedScheduleGroups: new Set(['Support hours']) }).routedBy
        ?.queueId,
    ).toBe('q-fallback');
  });

  it('without an acknowledgement the customer is told nothing while open', () => {
    const quiet = inboundFlowYaml(
      ArtifactOptions.parse({ ...options, acknowledgement: '' }),
      lookupAction,
    );
    expect(play(answer(), {}, quiet).messages).toEqual([]);
  });
});

describe('inbound message flow: what the agent sees', () => {
  it('the decision, the previous owner, the case and the summary as participant data', () => {
    const data = play(answer()).participantData;
    expect(data).toMatchObject({
      'Continuity.reason': 'owner_unresolved',
      'Continuity.lastAgentName': 'Ana Souza',
      'Continuity.caseNumber': '00001042',
      'Continuity.summary': 'Ana Souza, 2 h ago, Support: refund pending',
      'Continuity.unresolved': 'true',
      'Continuity.priority': '10',
      SF_URLPop: '500Cs0000001',
    });
  });

  it('no record to pop: SF_URLPop is not set', () => {
    expect(play(answer({ screenPopId: '' })).participantData).not.toHaveProperty('SF_URLPop');
  });

  it('every lookup output is handed to the agent or listed as routing-only', () => {
    const outputs = Object.keys(lookupAction.contract.output.successSchema.properties);
    const placed = [...AGENT_CONTEXT.map((c) => c.field), ...NOT_FOR_THE_AGENT];
    expect(outputs.filter((o) => !placed.includes(o))).toEqual([]);
    expect(placed.filter((p) => !outputs.includes(p))).toEqual([]);
  });

  it('refuses a context line for a field the lookup does not answer', () => {
    const schema = lookupAction.contract.output.successSchema;
    const { reason: _dropped, ...rest } = schema.properties;
    expect(() => agentContextAttributes({ ...schema, properties: rest })).toThrow(
      /Continuity.reason.*no "reason"/,
    );
  });
});

describe('inbound message flow: bindings and hooks', () => {
  it('sends the message address, conversation, default queue and thread flag to the lookup', () => {
    expect(flowText).toContain(
      'address:\n                          exp: Message.Message.senderAddress',
    );
    expect(flowText).toContain('queueId:\n                          lit: q-default');
    expect(flowText).toContain(
      'isNewConversation:\n                          exp: Message.IsNewConversation',
    );
  });

  it('priority: the lookup field when the contract has one, else a literal 0', () => {
    const schema = lookupAction.contract.output.successSchema;
    expect(acdPriority(schema)).toBe('Flow.priority');
    const { priority: _dropped, ...rest } = schema.properties;
    expect(acdPriority({ ...schema, properties: rest })).toBeUndefined();
  });

  it('names the step an admin must take first and the unverified constructs in the header', () => {
    const header = flowText.split('\ninboundShortMessage:')[0]!;
    expect(header).toMatch(/FIRST STEP AFTER IMPORT: .*Error Handling: Transfer to ACD/);
    expect(header).toContain('queue "Fallback"');
    expect(header).toMatch(/UNVERIFIED[\s\S]*findUsersById/);
  });
});
