import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LookupResponse } from '../routing/lookup.contract.ts';
import { openApiDocument } from '../main.ts';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('OpenAPI document', () => {
  const document = openApiDocument() as {
    info: { version: string };
    paths: Record<string, unknown>;
    components: {
      schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    };
  };

  it('is committed as docs/openapi.json exactly as the contracts generate it (run npm run openapi)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('describes every lookup response field, all required, none nullable', () => {
    const schema = document.components.schemas.LookupResponse!;
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(
      Object.keys(LookupResponse.shape).sort(),
    );
    expect([...(schema.required ?? [])].sort()).toEqual(Object.keys(LookupResponse.shape).sort());
    expect(JSON.stringify(schema)).not.toContain('"nullable":true');
  });

  it('carries the package version', () => {
    expect(document.info.version).toBe(packageVersion);
  });

  it('documents every route', () => {
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/events',
      '/v1/privacy/requests',
      '/v1/routing/lookup',
    ]);
  });
});
