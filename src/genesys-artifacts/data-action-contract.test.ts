import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BareDetailEvent } from '../reconcile/events.contract.ts';
import { LookupRequest, LookupResponse } from '../routing/lookup.contract.ts';
import {
  DataActionContractError,
  defaultLiteral,
  inputContractProblems,
  outputContractProblems,
  toDataActionSchema,
} from './data-action-contract.ts';

const objectOf = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...extra,
});

describe('inputContractProblems', () => {
  it('accepts a flat object of primitives', () => {
    const schema = objectOf(
      {
        a: { type: 'string' },
        b: { type: 'integer' },
        c: { type: 'number' },
        d: { type: 'boolean' },
        e: { type: 'null' },
      },
      { required: ['a'] },
    );
    expect(inputContractProblems(schema)).toEqual([]);
  });

  it.each([
    [
      'a nested object',
      { x: { type: 'object', properties: { y: { type: 'string' } } } },
      'nested object',
    ],
    ['an array', { x: { type: 'array', items: { type: 'string' } } }, 'arrays are not allowed'],
    ['$ref', { x: { $ref: '#/definitions/y' } }, '$ref'],
    ['a name starting with a digit', { '1x': { type: 'string' } }, 'invalid name'],
    ['a name with a dot', { 'a.b': { type: 'string' } }, 'invalid name'],
    ['reserved orgId', { orgId: { type: 'string' } }, 'reserved'],
    ['reserved integrationId', { integrationId: { type: 'string' } }, 'reserved'],
    ['reserved rawRequest', { rawRequest: { type: 'string' } }, 'reserved'],
    [
      'a union left as anyOf',
      { x: { anyOf: [{ type: 'string' }, { type: 'boolean' }] } },
      'type must be one of',
    ],
  ])('rejects %s', (_what, properties, message) => {
    expect(inputContractProblems(objectOf(properties)).join('\n')).toContain(message);
  });

  it('rejects a required name that is not a property', () => {
    expect(inputContractProblems(objectOf({}, { required: ['ghost'] }))).toEqual([
      'required "ghost" is not a property',
    ]);
  });

  it('accepts hyphens and underscores in names', () => {
    expect(inputContractProblems(objectOf({ 'a-b_c': { type: 'string' } }))).toEqual([]);
  });
});

describe('outputContractProblems', () => {
  it('accepts primitives and arrays of primitives', () => {
    const schema = objectOf({
      a: { type: 'string' },
      b: { type: 'array', items: { type: 'integer' } },
    });
    expect(outputContractProblems(schema)).toEqual([]);
  });

  it.each([
    [
      'a nested array',
      { x: { type: 'array', items: { type: 'array', items: { type: 'string' } } } },
      'nested array',
    ],
    [
      'an array of objects',
      { x: { type: 'array', items: { type: 'object' } } },
      'only hold primitives',
    ],
    ['a nested object', { x: { type: 'object', properties: {} } }, 'nested object'],
    ['a null type', { x: { type: 'null' } }, 'never null'],
    ['a nullable union', { x: { type: ['string', 'null'] } }, 'never null'],
    ['$ref', { x: { $ref: '#/x' } }, '$ref'],
    ['a name Velocity cannot use', { 'a-b': { type: 'string' } }, 'invalid name'],
    ['rawResult', { rawResult: { type: 'string' } }, 'reserved'],
  ])('rejects %s', (_what, properties, message) => {
    expect(outputContractProblems(objectOf(properties)).join('\n')).toContain(message);
  });
});

describe('toDataActionSchema (from the zod contracts)', () => {
  it('derives the lookup input: flat, address required, the boolean union collapsed to boolean', () => {
    const schema = toDataActionSchema(LookupRequest, 'input');
    expect(schema.required).toEqual(['address']);
    expect(Object.keys(schema.properties)).toEqual(Object.keys(LookupRequest.shape));
    expect(schema.properties.isNewConversation?.type).toBe('boolean');
    expect(schema.properties.address).toMatchObject({ type: 'string' });
    expect(schema.additionalProperties).toBe(true);
  });

  it('derives the lookup output: every field, arrays of primitives, no enum or bounds', () => {
    const schema = toDataActionSchema(LookupResponse, 'output');
    expect(Object.keys(schema.properties)).toEqual(Object.keys(LookupResponse.shape));
    expect(schema.properties.agentIds).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(schema.properties.agentScores).toMatchObject({
      type: 'array',
      items: { type: 'integer' },
    });
    expect(JSON.stringify(schema)).not.toMatch(/"(enum|minimum|maximum|\$schema|\$ref)"/);
    expect(schema.required).toBeUndefined();
  });

  it('derives the post-event input from the bare detail-event schema', () => {
    const schema = toDataActionSchema(BareDetailEvent, 'input');
    expect(schema.required).toEqual(['eventTime', 'conversationId']);
    expect(schema.properties.eventTime?.type).toBe('integer');
    expect(schema.properties.topicName?.type).toBe('string');
  });

  it('refuses a zod input with a nested object, naming the field', () => {
    const bad = z.object({ address: z.string(), customer: z.object({ name: z.string() }) });
    expect(() => toDataActionSchema(bad, 'input')).toThrow(/input "customer": nested object/);
  });

  it('refuses a zod output with a nested array', () => {
    const bad = z.object({ matrix: z.array(z.array(z.string())) });
    expect(() => toDataActionSchema(bad, 'output')).toThrow(DataActionContractError);
  });

  it('refuses a nullable output', () => {
    const bad = z.object({ agentId: z.string().nullable() });
    expect(() => toDataActionSchema(bad, 'output')).toThrow(/never null|type must be/);
  });

  it('refuses a schema that needs $ref', () => {
    const Node: z.ZodType = z.object({ id: z.string(), children: z.array(z.lazy(() => Node)) });
    expect(() => toDataActionSchema(z.object({ tree: Node }), 'output')).toThrow(
      DataActionContractError,
    );
  });
});

describe('defaultLiteral', () => {
  it('is a JSON literal of the right type for every output type', () => {
    expect(JSON.parse(defaultLiteral({ type: 'string' }))).toBe('');
    expect(JSON.parse(defaultLiteral({ type: 'integer' }))).toBe(0);
    expect(JSON.parse(defaultLiteral({ type: 'number' }))).toBe(0);
    expect(JSON.parse(defaultLiteral({ type: 'boolean' }))).toBe(false);
    expect(JSON.parse(defaultLiteral({ type: 'array', items: { type: 'string' } }))).toEqual([]);
  });
});
