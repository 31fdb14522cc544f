import { z } from 'zod';
import { PROBLEM_RESPONSE, type OpenApiPart } from '../ports/http-route.port.ts';
import {
  PrivacyDeleteResponse,
  PrivacyExportResponse,
  PrivacyRequest,
} from './privacy.contract.ts';
import { PRIVACY_PATH } from './privacy.http.ts';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });

/** The privacy slice's part of the OpenAPI document. */
export function privacyOpenApi(): OpenApiPart {
  return {
    schemas: {
      PrivacyRequest: jsonSchema(PrivacyRequest, 'input'),
      PrivacyExportResponse: jsonSchema(PrivacyExportResponse, 'output'),
      PrivacyDeleteResponse: jsonSchema(PrivacyDeleteResponse, 'output'),
    },
    paths: {
      [PRIVACY_PATH]: {
        post: {
          operationId: 'privacyRequest',
          summary:
            "Export or erase one customer's data in every store (Genesys GDPR request shape; admin tokens only)",
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/PrivacyRequest' } },
            },
          },
          responses: {
            '200': {
              description:
                'GDPR_EXPORT: everything every store holds; GDPR_DELETE: per-store counts of what was removed',
              content: {
                'application/json': {
                  schema: {
                    oneOf: [
                      { $ref: '#/components/schemas/PrivacyExportResponse' },
                      { $ref: '#/components/schemas/PrivacyDeleteResponse' },
                    ],
                  },
                },
              },
            },
            '400': PROBLEM_RESPONSE,
            '401': PROBLEM_RESPONSE,
            '403': PROBLEM_RESPONSE,
            '413': PROBLEM_RESPONSE,
            '501': PROBLEM_RESPONSE,
            '503': PROBLEM_RESPONSE,
          },
        },
      },
    },
  };
}
