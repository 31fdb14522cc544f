import { z } from 'zod';
import { PROBLEM_RESPONSE, type OpenApiPart } from '../ports/http-route.port.ts';
import { EVENTS_PATH } from './events.http.ts';
import { BareDetailEvent, EventBridgeEnvelope, EventsAccepted } from './events.contract.ts';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });

/** The events' part of the OpenAPI document, from the same schemas that validate requests. */
export function eventsOpenApi(): OpenApiPart {
  return {
    schemas: {
      EventBridgeEnvelope: jsonSchema(EventBridgeEnvelope, 'input'),
      DetailEventBody: jsonSchema(BareDetailEvent, 'input'),
      IngestResult: jsonSchema(EventsAccepted, 'output'),
    },
    paths: {
      [EVENTS_PATH]: {
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
            '400': PROBLEM_RESPONSE,
            '401': PROBLEM_RESPONSE,
            '413': PROBLEM_RESPONSE,
            '503': PROBLEM_RESPONSE,
          },
        },
      },
    },
  };
}
