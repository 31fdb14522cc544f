import velocity from 'velocityjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildDataAction, requestTemplate } from './data-action.builder.ts';
import { toDataActionSchema } from './data-action-contract.ts';

const esc = {
  jsonString: (v: unknown) => (v == null ? v : JSON.stringify(String(v)).slice(1, -1)),
};
const render = (template: string, input: Record<string, unknown>) =>
  velocity.render(template, { input, esc, credentials: { apiKey: 'k' } });

const Input = z.object({
  name: z.string(),
  note: z.string().optional(),
  count: z.number().int().optional(),
  flag: z.boolean().default(true),
});
const Output = z.object({
  ok: z.boolean(),
  ids: z.array(z.string()),
  total: z.number().int(),
  label: z.string(),
});

const action = buildDataAction({
  name: 'Test v1',
  url: 'https://bridge.example.com/v1/test',
  credentialField: 'apiKey',
  timeoutSeconds: 8,
  input: Input,
  output: Output,
});

describe('requestTemplate', () => {
  const template = requestTemplate(toDataActionSchema(Input, 'input'));

  it('renders valid JSON with every input present, keeping numbers and booleans typed', () => {
    const body = JSON.parse(render(template, { name: 'a', note: 'n', count: 0, flag: false }));
    expect(body).toEqual({ name: 'a', note: 'n', count: 0, flag: false });
  });

  it('leaves out optional inputs Architect did not pass', () => {
    expect(JSON.parse(render(template, { name: 'a' }))).toEqual({ name: 'a' });
  });

  it('escapes quotes, backslashes, new lines and Velocity syntax in strings', () => {
    const nasty = 'a"b\\c\nd\t$input.name #if(true)x#end ${name}';
    expect(JSON.parse(render(template, { name: nasty, note: nasty }))).toEqual({
      name: nasty,
      note: nasty,
    });
  });

  it('uses the documented $esc.jsonString form and $! for optional inputs', () => {
    expect(template).toContain('"name": "$esc.jsonString(${input.name})"');
    expect(template).toContain(
      '#if("$!{input.note}" != ""), "note": "$esc.jsonString(${input.note})"#end',
    );
  });

  it('needs a required input to anchor the JSON object', () => {
    expect(() =>
      requestTemplate(toDataActionSchema(z.object({ a: z.string().optional() }), 'input')),
    ).toThrow(/required input/);
  });
});

describe('response configuration', () => {
  const { translationMap, translationMapDefaults, successTemplate } = action.config.response;

  it('maps each output to its own JSONPath', () => {
    expect(translationMap).toEqual({
      ok: '$.ok',
      ids: '$.ids',
      total: '$.total',
      label: '$.label',
    });
  });

  it('has JSON-literal defaults of the right type', () => {
    expect(translationMapDefaults).toEqual({ ok: 'false', ids: '[]', total: '0', label: '""' });
  });

  it('rebuilds a flat object from the translated JSON values', () => {
    const rendered = velocity.render(successTemplate, translationMapDefaults);
    expect(JSON.parse(rendered)).toEqual({ ok: false, ids: [], total: 0, label: '' });
    const live = velocity.render(successTemplate, {
      ok: 'true',
      ids: '["a","b"]',
      total: '2',
      label: '"x \\" y"',
    });
    expect(JSON.parse(live)).toEqual({ ok: true, ids: ['a', 'b'], total: 2, label: 'x " y' });
  });
});

describe('buildDataAction', () => {
  it('produces a Web Services export with the credential header and the timeout', () => {
    expect(action).toMatchObject({
      name: 'Test v1',
      integrationType: 'custom-rest-actions',
      actionType: 'custom',
      secure: false,
      config: {
        request: {
          requestUrlTemplate: 'https://bridge.example.com/v1/test',
          requestType: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Api-Key': '${credentials.apiKey}' },
        },
        timeoutSeconds: 8,
      },
    });
  });

  it('refuses contracts Genesys would refuse', () => {
    expect(() =>
      buildDataAction({
        name: 'Bad',
        url: 'https://x',
        credentialField: 'apiKey',
        timeoutSeconds: 8,
        input: z.object({ orgId: z.string() }),
        output: Output,
      }),
    ).toThrow(/reserved/);
  });
});
