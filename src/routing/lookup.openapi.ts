import { z } from 'zod';
import { PROBLEM_RESPONSE, type OpenApiPart } from '../ports/http-route.port.ts';
import { LOOKUP_PATH } from './lookup.http.ts';
import { LookupRequest, LookupResponse } from './lookup.contract.ts';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });

/** The lookup's part of the OpenAPI document, from the same schemas that validate requests. */
export function lookupOpenApi(): OpenApiPart {
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
  const responses = {
    '200': {
      description: 'A flat routing decision (never null; always 200 within the deadline)',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/LookupResponse' } } },
    },
    '400': PROBLEM_RESPONSE,
    '401': PROBLEM_RESPONSE,
    '413': PROBLEM_RESPONSE,
  };
  return {
    schemas: {
      LookupRequest: lookupRequest,
      LookupResponse: jsonSchema(LookupResponse, 'output'),
    },
    paths: {
      [LOOKUP_PATH]: {
        post: {
          operationId: 'lookupRoute',
          summary: 'Who should this customer go to?',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/LookupRequest' } },
            },
          },
          responses,
        },
        get: {
          operationId: 'lookupRouteByQuery',
          summary: 'Who should this customer go to? (query parameters)',
          parameters: queryParameters,
          responses,
        },
      },
    },
  };
}
