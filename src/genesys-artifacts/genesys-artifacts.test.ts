import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArtifactOptions, PLACEHOLDER_OPTIONS, remainingPlaceholders } from './artifact-options.ts';
import { ARTIFACT_PATHS, generateArtifacts } from './genesys-artifacts.ts';

/**
 * Drift check (STYLE habit 8): the committed genesys/ folder must be exactly
 * what the generator writes for the placeholder options. When a contract or
 * a builder changes, regenerate with `npm run genesys:artifacts` and commit.
 */

const GENESYS_DIR = fileURLToPath(new URL('../../genesys/', import.meta.url));
const generated = generateArtifacts(PLACEHOLDER_OPTIONS);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    return statSync(full).isDirectory()
      ? filesUnder(full)
      : [relative(GENESYS_DIR, full).split(sep).join('/')];
  });
}

describe('committed genesys/ artifacts', () => {
  it.each(generated.map((file) => [file.path, file.content]))(
    'genesys/%s matches the generator output',
    (path, content) => {
      let committed: string;
      try {
        committed = readFileSync(join(GENESYS_DIR, path), 'utf8');
      } catch {
        throw new Error(
          `genesys/${path} is missing: run \`npm run genesys:artifacts\` and commit it`,
        );
      }
      if (committed !== content) {
        throw new Error(
          `genesys/${path} differs from the generator output: run \`npm run genesys:artifacts\` and commit it`,
        );
      }
    },
  );

  it('holds no file the generator does not write', () => {
    const expected = generated.map((file) => file.path).sort();
    expect(filesUnder(GENESYS_DIR).sort()).toEqual(expected);
  });

  it('writes every artifact path once', () => {
    expect(generated.map((file) => file.path).sort()).toEqual(Object.values(ARTIFACT_PATHS).sort());
  });
});

describe('artifact options', () => {
  const parse = (overrides: Record<string, unknown>) =>
    ArtifactOptions.safeParse({ ...PLACEHOLDER_OPTIONS, ...overrides });
  const messages = (overrides: Record<string, unknown>) => {
    const result = parse(overrides);
    return result.success
      ? []
      : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts the placeholders and lists them as remaining', () => {
    const options = ArtifactOptions.parse(PLACEHOLDER_OPTIONS);
    expect(remainingPlaceholders(options)).toEqual([
      'bridgeUrl',
      'defaultQueueId',
      'fallbackQueueId',
      'fallbackQueueName',
      'vipQueueId',
      'triageQueueId',
      'workflowId',
      'queueSchedules',
    ]);
  });

  it('requires the Data Action timeout to exceed the lookup deadline', () => {
    expect(messages({ timeoutSeconds: 2, lookupDeadlineMs: 2000 })[0]).toMatch(
      /^timeoutSeconds: must exceed/,
    );
    expect(parse({ timeoutSeconds: 3, lookupDeadlineMs: 2000 }).success).toBe(true);
  });

  it('keeps the timeout within 1-59 s, below the flow wait of one minute', () => {
    expect(messages({ timeoutSeconds: 60 })[0]).toMatch(
      /^timeoutSeconds: must stay below the flow/,
    );
    expect(parse({ timeoutSeconds: 59 }).success).toBe(true);
    expect(parse({ timeoutSeconds: 0 }).success).toBe(false);
  });

  it('normalizes the bridge URL and refuses URLs that would break a template', () => {
    expect(
      ArtifactOptions.parse({ ...PLACEHOLDER_OPTIONS, bridgeUrl: 'https://bridge.example.org/' })
        .bridgeUrl,
    ).toBe('https://bridge.example.org');
    expect(parse({ bridgeUrl: 'ftp://bridge.example.org' }).success).toBe(false);
    expect(parse({ bridgeUrl: 'https://bridge.example.org/?a=1' }).success).toBe(false);
    expect(parse({ bridgeUrl: 'https://bridge.example.org/${input.x}' }).success).toBe(false);
  });

  it('refuses queue ids and names that would break Architect expressions', () => {
    expect(parse({ defaultQueueId: 'a"b' }).success).toBe(false);
    expect(parse({ vipQueueId: '' }).success).toBe(false);
    expect(parse({ flowName: 'My "flow"' }).success).toBe(false);
  });

  it('refuses customer messages with control characters, allows new lines and an empty acknowledgement', () => {
    expect(messages({ closedMessage: 'Closed\u0007 now' })[0]).toMatch(/^closedMessage: .*control/);
    expect(parse({ closedMessage: 'Closed now.\nWe open at 8.' }).success).toBe(true);
    expect(parse({ acknowledgement: '' }).success).toBe(true);
    expect(parse({ closedMessage: '' }).success).toBe(false);
  });

  it('refuses a queue schedule without a group, or with a name that would break the YAML', () => {
    expect(messages({ queueSchedules: { q1: { offHoursQueueId: 'q2' } } })[0]).toMatch(
      /^queueSchedules\.q1: needs a scheduleGroup/,
    );
    expect(parse({ queueSchedules: { q1: { scheduleGroup: 'Hours "24/7"' } } }).success).toBe(
      false,
    );
    expect(parse({ queueSchedules: { 'q"1': { scheduleGroup: 'Hours' } } }).success).toBe(false);
  });

  it('puts the options into the artifacts', () => {
    const files = generateArtifacts({
      ...PLACEHOLDER_OPTIONS,
      bridgeUrl: 'https://cb.acme.test',
      defaultQueueId: 'q-1',
    });
    const lookup = files.find((f) => f.path === ARTIFACT_PATHS.lookupAction)!.content;
    expect(JSON.parse(lookup).config.request.requestUrlTemplate).toBe(
      'https://cb.acme.test/v1/routing/lookup',
    );
    expect(files.find((f) => f.path === ARTIFACT_PATHS.inboundFlow)!.content).toContain('lit: q-1');
  });
});
