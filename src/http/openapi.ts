import type { OpenApiPart } from '../ports/http-route.port.ts';

/** Problem details (RFC 9457) as every route answers an error. */
const PROBLEM_SCHEMA = {
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
    errorsOmitted: {
      type: 'integer',
      description: 'How many more problems there were beyond the 20 listed.',
    },
    requestId: { type: 'string' },
  },
};

/**
 * The OpenAPI document: the shell's security schemes and problem schema, plus
 * each slice's paths and schemas (generated from the zod schemas that validate
 * the requests).
 */
export function buildOpenApi(options: {
  readonly version: string;
  readonly parts: readonly OpenApiPart[];
}): Record<string, unknown> {
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
      schemas: Object.assign({ Problem: PROBLEM_SCHEMA }, ...options.parts.map((p) => p.schemas)),
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: Object.assign({}, ...options.parts.map((p) => p.paths)),
  };
}
