import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  inputContractProblems,
  outputContractProblems,
} from '../../src/genesys-artifacts/data-action-contract.ts';
import { ARTIFACT_PATHS } from '../../src/genesys-artifacts/genesys-artifacts.ts';
import { loadAction } from '../emulators/genesys/data-action-player.ts';

/**
 * The generated actions must look like what Genesys itself exports (and so
 * imports): same top-level keys, same request/response/contract layout.
 */

interface ExportShape {
  integrationType: string;
  actionType: string;
  config: { request: object; response: object };
  contract: { input: { inputSchema: object } };
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as ExportShape;

const webServices = fixture('data-action-web-services-example.json');
const uiExport = fixture('data-action-example.json');
const actions = [
  ['lookup', loadAction(ARTIFACT_PATHS.lookupAction)],
  ['post-event', loadAction(ARTIFACT_PATHS.postEventAction)],
] as const;

const keys = (value: object) => Object.keys(value).sort();

describe.each(actions)('%s action export', (_name, action) => {
  it('has the keys of a UI export (name, integrationType, actionType, config, contract, secure)', () => {
    expect(keys(action)).toEqual(keys(uiExport));
    expect(action.integrationType).toBe(webServices.integrationType);
    expect(action.actionType).toBe(webServices.actionType);
    expect(action.secure).toBe(false);
  });

  it('has the request and response keys of a Web Services export', () => {
    expect(keys(action.config.request)).toEqual(keys(webServices.config.request));
    expect(keys(action.config.response)).toEqual(keys(webServices.config.response));
    // timeoutSeconds is the documented ActionConfig field (1-60), not seen in these exports.
    expect(keys(action.config)).toEqual([...keys(webServices.config), 'timeoutSeconds'].sort());
    expect(action.config.timeoutSeconds).toBeGreaterThanOrEqual(1);
    expect(action.config.timeoutSeconds).toBeLessThanOrEqual(60);
  });

  it('lays out its contract like a UI export, and keeps to the contract rules', () => {
    const { inputSchema } = action.contract.input;
    const { successSchema } = action.contract.output;
    expect(keys(action.contract)).toEqual(keys(uiExport.contract));
    expect(keys(inputSchema)).toEqual(keys(uiExport.contract.input.inputSchema));
    expect(inputSchema.additionalProperties).toBe(true);
    expect(successSchema.type).toBe('object');
    expect(inputContractProblems(inputSchema as never)).toEqual([]);
    expect(outputContractProblems(successSchema as never)).toEqual([]);
  });

  it('translates every output and has a JSON-literal default for each', () => {
    const outputs = keys(action.contract.output.successSchema.properties);
    const { translationMap, translationMapDefaults, successTemplate } = action.config.response;
    expect(keys(translationMap)).toEqual(outputs);
    expect(keys(translationMapDefaults)).toEqual(outputs);
    for (const literal of Object.values(translationMapDefaults))
      expect(() => JSON.parse(literal)).not.toThrow();
    for (const name of outputs) expect(successTemplate).toContain(`"${name}": \${${name}}`);
  });

  it('sends the User Defined credential as X-Api-Key and JSON', () => {
    expect(action.config.request.headers).toEqual({
      'Content-Type': 'application/json',
      'X-Api-Key': '${credentials.apiKey}',
    });
    expect(action.config.request.requestType).toBe('POST');
  });
});
