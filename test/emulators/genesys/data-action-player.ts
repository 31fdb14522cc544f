import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { JSONPath } from 'jsonpath-plus';
import velocity from 'velocityjs';
import type { DataActionExport } from '../../../src/genesys-artifacts/data-action.builder.ts';

/**
 * Plays the Genesys side of a Web Services Data Action, as the docs describe it
 * (reference §1.2–1.4): render the request with Velocity (`$input`,
 * `$credentials`, the `$esc` tool), send it, treat non-2xx as the Failure
 * path, apply each translation's JSONPath (its default only when the path does
 * not resolve; a `null` is NOT defaulted), render the success template with
 * the translated JSON values and validate the result against the success
 * schema. Anything Genesys would reject makes these helpers throw or report.
 */

export function loadAction(relativePath: string): DataActionExport {
  return JSON.parse(
    readFileSync(new URL(`../../../genesys/${relativePath}`, import.meta.url), 'utf8'),
  ) as DataActionExport;
}

/**
 * The `$esc` tool as Genesys documents it: `jsonString` escapes a string for a
 * JSON body (quotes, backslashes, control characters), `url` for a path or
 * query, `quote` is a `"`. A null argument gives null, which Velocity renders
 * as the reference text (or nothing with `$!`), as the Java tool does.
 */
export const esc = {
  jsonString: (value: unknown) =>
    value == null ? value : JSON.stringify(String(value)).slice(1, -1),
  url: (value: unknown) => (value == null ? value : encodeURIComponent(String(value))),
  quote: '"',
};

export interface RenderedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function renderRequest(
  action: DataActionExport,
  input: Record<string, unknown>,
  credentials: Record<string, string>,
): RenderedRequest {
  const context = { input, credentials, esc };
  const render = (template: string) => velocity.render(template, context);
  const { request } = action.config;
  return {
    url: render(request.requestUrlTemplate),
    method: request.requestType,
    headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, render(v)])),
    body: render(request.requestTemplate),
  };
}

export type ActionOutcome =
  | {
      readonly path: 'success';
      readonly output: Record<string, unknown>;
      readonly translated: Record<string, string>;
    }
  | { readonly path: 'failure'; readonly status: number; readonly body: string };

const ajv = new Ajv({ strict: false, allErrors: true });

/** Translation map + defaults + success template + success schema, as Genesys applies them. */
export function applyResponse(
  action: DataActionExport,
  status: number,
  bodyText: string,
): ActionOutcome {
  if (status < 200 || status > 299) return { path: 'failure', status, body: bodyText };
  const { translationMap, translationMapDefaults, successTemplate } = action.config.response;
  const json = JSON.parse(bodyText) as object;
  const translated: Record<string, string> = {};
  for (const [name, path] of Object.entries(translationMap)) {
    const value: unknown = JSONPath({ path, json, wrap: false });
    if (value === undefined) {
      const fallback = translationMapDefaults[name];
      if (fallback === undefined)
        return { path: 'failure', status, body: `no value and no default for ${name}` };
      translated[name] = fallback;
    } else {
      translated[name] = JSON.stringify(value); // null stays null: no default.
    }
  }
  const rendered = velocity.render(successTemplate, { ...translated, rawResult: bodyText });
  const output = JSON.parse(rendered) as Record<string, unknown>;
  const validate = ajv.compile(action.contract.output.successSchema);
  if (!validate(output)) {
    return { path: 'failure', status, body: `success schema: ${ajv.errorsText(validate.errors)}` };
  }
  return { path: 'success', output, translated };
}

/** Runs the action against a live server at `origin` (replacing the export's host). */
export async function runAction(
  action: DataActionExport,
  origin: string,
  input: Record<string, unknown>,
  credentials: Record<string, string>,
): Promise<{ request: RenderedRequest; status: number; body: string; outcome: ActionOutcome }> {
  const request = renderRequest(action, input, credentials);
  const url = new URL(request.url);
  const response = await fetch(`${origin}${url.pathname}${url.search}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(action.config.timeoutSeconds * 1000),
  });
  const body = await response.text();
  return {
    request,
    status: response.status,
    body,
    outcome: applyResponse(action, response.status, body),
  };
}

/** Every `null` anywhere in a JSON value, as paths (`$.a.b`). */
export function nullPaths(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => nullPaths(item, `${path}[${i}]`));
  if (typeof value === 'object') {
    return Object.entries(value as object).flatMap(([k, v]) => nullPaths(v, `${path}.${k}`));
  }
  return [];
}
