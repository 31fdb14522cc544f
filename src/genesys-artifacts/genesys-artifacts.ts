import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BareDetailEvent, EventsAccepted } from '../reconcile/events.contract.ts';
import { LookupRequest, LookupResponse } from '../routing/lookup.contract.ts';
import { ArtifactOptions, type ArtifactOptionsInput } from './artifact-options.ts';
import { buildDataAction, type DataActionExport } from './data-action.builder.ts';
import { buildRulePattern, buildTrigger, eventBridgeReadme } from './event-wiring.builder.ts';
import { inboundFlowYaml } from './inbound-flow.builder.ts';
import { postEventWorkflowYaml } from './post-event-workflow.builder.ts';

/**
 * Everything a Genesys admin imports, generated from the zod contracts and the
 * admin's options. The committed `genesys/` folder is this output for
 * PLACEHOLDER_OPTIONS; a test regenerates it and fails on drift (STYLE habit 8).
 */

export const ARTIFACT_PATHS = {
  lookupAction: 'data-actions/continuity-routing-lookup.json',
  postEventAction: 'data-actions/continuity-post-event.json',
  inboundFlow: 'flows/continuity-inbound-message.yaml',
  postEventWorkflow: 'workflows/continuity-post-event-workflow.yaml',
  trigger: 'triggers/continuity-acw-trigger.json',
  rulePattern: 'eventbridge/rule-pattern.json',
  eventBridgeReadme: 'eventbridge/README.md',
} as const;

export interface GeneratedFile {
  /** Relative to the output folder, `/`-separated. */
  readonly path: string;
  readonly content: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function buildLookupAction(o: ArtifactOptions): DataActionExport {
  return buildDataAction({
    name: o.actionName,
    url: `${o.bridgeUrl}/v1/routing/lookup`,
    credentialField: o.credentialField,
    timeoutSeconds: o.timeoutSeconds,
    input: LookupRequest,
    output: LookupResponse,
  });
}

export function buildPostEventAction(o: ArtifactOptions): DataActionExport {
  return buildDataAction({
    name: o.postEventActionName,
    url: `${o.bridgeUrl}/v1/events`,
    credentialField: o.credentialField,
    // Posting is not on a customer's path; the bridge answers once the job is queued.
    timeoutSeconds: Math.max(o.timeoutSeconds, 10),
    input: BareDetailEvent,
    output: EventsAccepted,
    // The workflow reads the event from JSON as text: the 13-digit eventTime stays intact.
    numbersAsText: true,
  });
}

/** Parses the options (throws a ZodError naming the bad option) and builds every file. */
export function generateArtifacts(input: ArtifactOptionsInput): GeneratedFile[] {
  const o = ArtifactOptions.parse(input);
  const lookup = buildLookupAction(o);
  const postEvent = buildPostEventAction(o);
  const files: Record<keyof typeof ARTIFACT_PATHS, string> = {
    lookupAction: json(lookup),
    postEventAction: json(postEvent),
    inboundFlow: inboundFlowYaml(o, lookup),
    postEventWorkflow: postEventWorkflowYaml(o, postEvent),
    trigger: json(buildTrigger(o)),
    rulePattern: json(buildRulePattern()),
    eventBridgeReadme: eventBridgeReadme(o),
  };
  return Object.entries(files).map(([key, content]) => ({
    path: ARTIFACT_PATHS[key as keyof typeof ARTIFACT_PATHS],
    content,
  }));
}

export async function writeArtifacts(
  outDir: string,
  files: readonly GeneratedFile[],
): Promise<void> {
  for (const file of files) {
    const target = join(outDir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content, 'utf8');
  }
}

export interface Drift {
  readonly path: string;
  readonly problem: 'missing' | 'differs';
}

/** Generated files that are missing from `outDir` or differ from what is there. */
export async function findDrift(outDir: string, files: readonly GeneratedFile[]): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const file of files) {
    let current: string;
    try {
      current = await readFile(join(outDir, file.path), 'utf8');
    } catch {
      drift.push({ path: file.path, problem: 'missing' });
      continue;
    }
    if (current !== file.content) drift.push({ path: file.path, problem: 'differs' });
  }
  return drift;
}
