import { z } from 'zod';
import { BareDetailEvent, EventBridgeEnvelope } from './events.contract.ts';
import { LookupRequest, LookupResponse } from './lookup.contract.ts';

export interface OpenApiOptions {
  readonly version: string;
  /** Extra paths contributed by other contracts (events). */
  readonly extraPaths?: Record<string, unknown>;
  readonly extraSchemas?: Record<string, unknown>;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });

const problem = {
  description: 'Problem details (RFC 9457) naming the failing field',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

/** The OpenAPI document, generated from the same zod schemas that validate requests. */
export function buildOpenApi(options: OpenApiOptions): Record<string, unknown> {
  const lookupRequest = jsonSchema(LookupRequest, 'input');
  const queryParameters = Object.entries(
    (lookupRequest as { properties: Record<string, Record<string, unknown>> }).properties,
  ).map(([name, schema]) => ({
    name,
    in: 'query',
    required: name === 'address',
    description: schema.description,
    schema: { type: name === 'isNewConversation' ? 'boolean' : 'string' },
  }));
  const lookupResponses = {
    '200': {
      description: 'A flat routing decision (never null; always 200 within the deadline)',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/LookupResponse' } } },
    },
    '400': problem,
    '401': problem,
    '413': problem,
  };
  return {
    openapi: '3.0.3',
    info: {
      title: 'Continuity Bridge',
      version: options.version,
      description: 'Routes returning WhatsApp customers back to the agent who knows their story.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      schemas: {
        LookupRequest: lookupRequest,
        LookupResponse: jsonSchema(LookupResponse, 'output'),
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
            requestId: { type: 'string' },
          },
        },
        EventBridgeEnvelope: jsonSchema(EventBridgeEnvelope, 'input'),
        DetailEventBody: jsonSchema(BareDetailEvent, 'input'),
        IngestResult: {
          type: 'object',
          required: ['accepted', 'duplicates', 'ignored'],
          properties: {
            accepted: { type: 'integer', description: 'New events, now durably queued' },
            duplicates: { type: 'integer', description: 'Deliveries seen before' },
            ignored: { type: 'integer', description: 'Other topics or channels' },
          },
        },
        ...options.extraSchemas,
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      '/v1/routing/lookup': {
        post: {
          operationId: 'lookupRoute',
          summary: 'Who should this customer go to?',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/LookupRequest' } },
            },
          },
          responses: lookupResponses,
        },
        get: {
          operationId: 'lookupRouteByQuery',
          summary: 'Who should this customer go to? (query parameters)',
          parameters: queryParameters,
          responses: lookupResponses,
        },
      },
      '/v1/events': {
        post: {
          operationId: 'ingestEvents',
          summary: 'Wrap-up events from EventBridge or a Process Automation workflow',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/EventBridgeEnvelope' },
                    { type: 'array', items: { $ref: '#/components/schemas/EventBridgeEnvelope' } },
                    { $ref: '#/components/schemas/DetailEventBody' },
                    { type: 'array', items: { $ref: '#/components/schemas/DetailEventBody' } },
                  ],
                },
              },
            },
          },
          responses: {
            '202': {
              description: 'Accepted: the reconcile jobs are in Redis',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/IngestResult' } },
              },
            },
            '400': problem,
            '401': problem,
            '413': problem,
            '503': problem,
          },
        },
      },
      ...options.extraPaths,
    },
  };
}
