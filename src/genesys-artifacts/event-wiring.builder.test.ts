import { describe, expect, it } from 'vitest';
import { parseTopic } from '../reconcile/events.contract.ts';
import { ArtifactOptions, PLACEHOLDER_OPTIONS } from './artifact-options.ts';
import type { Node } from './archy-actions.ts';
import {
  ACW_TOPIC,
  buildRulePattern,
  buildTrigger,
  eventBridgeReadme,
} from './event-wiring.builder.ts';
import { buildPostEventAction } from './genesys-artifacts.ts';
import {
  buildPostEventWorkflow,
  JSON_INPUT,
  POST_ATTEMPTS,
  postEventWorkflowYaml,
} from './post-event-workflow.builder.ts';

const options = ArtifactOptions.parse({ ...PLACEHOLDER_OPTIONS, workflowId: 'wf-123' });
const action = buildPostEventAction(options);

describe('Process Automation trigger', () => {
  const trigger = buildTrigger(options);

  it('watches the acw topic with the {id} wildcard, for WhatsApp messages only', () => {
    expect(trigger.topicName).toBe('v2.detail.events.conversation.{id}.acw');
    expect(trigger.matchCriteria).toEqual([
      { jsonPath: 'mediaType', operator: 'Equal', value: 'MESSAGE' },
      { jsonPath: 'messageType', operator: 'Equal', value: 'WHATSAPP' },
    ]);
  });

  it('starts the workflow with the whole event as JSON (no 13-digit time in an integer input)', () => {
    expect(trigger.target).toEqual({
      id: 'wf-123',
      type: 'Workflow',
      workflowTargetSettings: { dataFormat: 'Json' },
    });
    expect(trigger.enabled).toBe(true);
  });

  it('sets exactly one of delayBySeconds / eventTTLSeconds: a 60-900 s delay', () => {
    expect(trigger).not.toHaveProperty('eventTTLSeconds');
    expect(trigger.delayBySeconds).toBe(60);
    expect(() =>
      ArtifactOptions.parse({ ...PLACEHOLDER_OPTIONS, triggerDelaySeconds: 30 }),
    ).toThrow();
  });
});

describe('post-event workflow', () => {
  const workflow = (buildPostEventWorkflow(options, action) as { workflow: Node }).workflow as {
    variables: Node[];
    states: Array<{ state: { actions: Node[] } }>;
  };
  const declared = workflow.variables.map(
    (v) => Object.values(v)[0] as unknown as { name: string; isInput: boolean },
  );
  const text = postEventWorkflowYaml(options, action);

  it('has one input, Flow.jsonData, and reads every event field of the action contract from it', () => {
    expect(declared.filter((v) => v.isInput).map((v) => v.name)).toEqual([JSON_INPUT]);
    expect(Object.keys(workflow.variables[0]!)).toEqual(['jsonVariable']);
    const fields = Object.keys(action.contract.input.inputSchema.properties).filter(
      (f) => f !== 'topicName',
    );
    const read = workflow.states[0]!.state.actions[0] as {
      updateData: { statements: Array<{ string: { variable: string; value: { exp: string } } }> };
    };
    expect(read.updateData.statements.map((s) => [s.string.variable, s.string.value.exp])).toEqual(
      fields.map((f) => [`Flow.${f}`, `ToString(GetJsonObjectProperty(Flow.jsonData, "${f}"))`]),
    );
  });

  it('hands eventTime to the action as text, which the action writes as a JSON number', () => {
    expect(action.contract.input.inputSchema.properties.eventTime?.type).toBe('string');
    expect(action.config.request.requestTemplate).toContain('"eventTime": ${input.eventTime},');
    expect(action.config.request.requestTemplate).toContain(
      '"conversationId": "$esc.jsonString(${input.conversationId})"',
    );
  });

  it('passes every action input, rebuilding the topic from the conversation id', () => {
    for (const name of Object.keys(action.contract.input.inputSchema.properties)) {
      expect(text).toContain(`${name}:\n`);
    }
    expect(text).toContain(
      'Append(\\"v2.detail.events.conversation.\\", Flow.conversationId, \\".acw\\")',
    );
  });

  it(`retries up to ${POST_ATTEMPTS} times a minute apart and ends on success`, () => {
    const loop = workflow.states[0]!.state.actions[1] as { loop: { loopCount: Node } };
    expect(loop.loop.loopCount).toEqual({ lit: POST_ATTEMPTS });
    expect(text).toContain('minutes: 1');
    expect(text).toMatch(/success:\n\s+actions:\n\s+- endWorkflow:/);
  });

  it('marks its unverified parts', () => {
    expect(text.split('\nworkflow:')[0]).toMatch(/UNVERIFIED/);
  });
});

describe('EventBridge route', () => {
  it('filters the partner bus on the acw topic and WhatsApp messages', () => {
    expect(buildRulePattern()).toEqual({
      source: [{ prefix: 'aws.partner/genesys.com' }],
      'detail-type': [ACW_TOPIC],
      detail: { eventBody: { mediaType: ['MESSAGE'], messageType: ['WHATSAPP'] } },
    });
  });

  it('documents the API destination to the bridge events endpoint with X-Api-Key, retries and a DLQ', () => {
    const readme = eventBridgeReadme(options);
    expect(readme).toContain(`--invocation-endpoint ${options.bridgeUrl}/v1/events`);
    expect(readme).toContain('ApiKeyName=X-Api-Key');
    expect(readme).toContain('RetryPolicy');
    expect(readme).toContain('DeadLetterConfig');
  });

  it('uses a topic pattern the bridge parses once Genesys fills in the id', () => {
    expect(parseTopic(ACW_TOPIC.replace('{id}', 'abc'))).toEqual({
      conversationId: 'abc',
      kind: 'acw',
    });
  });
});
