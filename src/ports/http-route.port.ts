/**
 * What a slice hands the HTTP shell: its routes as plain values, with no
 * express in them. The shell reads the input, checks the API token, renders
 * the answer, and turns a thrown BridgeError into problem details, so every
 * route answers errors the same way.
 */

export interface HttpAnswer {
  readonly status: number;
  /** Sent as JSON. */
  readonly body: unknown;
  /**
   * `body` already serialized, when the route has it (the lookup measures its
   * answer's size on the JSON it sends): sent as is, not serialized again.
   */
  readonly json?: string;
}

export interface RouteContext {
  readonly requestId: string;
  /** Which token called (`tokenIdOf`: a short hash, never the token). */
  readonly tokenId?: string;
}

export interface HttpRoute {
  readonly method: 'GET' | 'POST';
  /** Under `/v1`, so behind the API token. */
  readonly path: string;
  /** The JSON body (refused above `maxBytes`), or the query string's parameters. */
  readonly input: { readonly from: 'body'; readonly maxBytes: number } | { readonly from: 'query' };
  /** Dispatched ahead of express's router: the path Architect waits on. */
  readonly hot?: boolean;
  /** `admin`: only ADMIN_API_TOKENS may call it (an API token gets 403). @defaultValue api */
  readonly audience?: 'api' | 'admin';
  handle(input: unknown, context: RouteContext): Promise<HttpAnswer>;
}

/** A slice's part of the OpenAPI document: its paths and the schemas they refer to. */
export interface OpenApiPart {
  readonly paths: Readonly<Record<string, unknown>>;
  readonly schemas: Readonly<Record<string, unknown>>;
}

/** How a part refers to the shell's problem-details answer (RFC 9457) in its responses. */
export const PROBLEM_RESPONSE = {
  description: 'Problem details (RFC 9457) naming the failing field',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
} as const;
