import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { argumentProblem } from './cli-args.ts';
import { readPolicyFile } from '../config/config.ts';
import { EnvSchema } from '../config/env.schema.ts';
import {
  ArtifactOptions,
  PLACEHOLDER_OPTIONS,
  remainingPlaceholders,
  type ArtifactOptionsInput,
} from '../genesys-artifacts/artifact-options.ts';
import {
  findDrift,
  generateArtifacts,
  writeArtifacts,
} from '../genesys-artifacts/genesys-artifacts.ts';

export const GENESYS_ARTIFACTS_USAGE = `Usage: continuity-bridge genesys-artifacts [options]

Writes the Genesys Cloud artifacts an admin imports (Data Actions, Architect flow,
workflow, trigger, EventBridge notes) for your bridge URL and queues. Options left
out keep their placeholder value (the committed genesys/ copies use placeholders only).

Options:
  --bridge-url <url>               Public https URL of the bridge (no path)
  --default-queue-id <id>          Queue the flow uses without the bridge
  --fallback-queue-id <id>         Queue for fallback, failed or timed-out lookups
  --fallback-queue-name <name>     The same queue by name (the flow's last transfer)
  --vip-queue-id <id>              Queue for VIP customers
  --triage-queue-id <id>           Queue for a fresh journey (stale context)
  --workflow-id <id>               Published workflow the trigger starts
  --credentials-name <name>        Web Services Data Actions integration name
  --credential-field <field>       User Defined credential field with the API key (apiKey)
  --action-name <name>             Lookup action name; bump its version on contract change
  --post-event-action-name <name>  Post-event action name
  --flow-name <name>               Architect inbound message flow name
  --workflow-name <name>           Architect workflow name
  --division <name>                Architect division (Home)
  --timeout-seconds <n>            Data Action timeout, 1-60, above LOOKUP_DEADLINE_MS (8)
  --preferred-agent-wait-seconds <n>  Ring time for preferred agents, in the notes (30)
  --trigger-delay-seconds <n>      Trigger delayBySeconds, 60-900 (60)
  --policy-file <path>             QUEUE_POLICY_FILE with queues.<id>.schedule (opening
                                   hours per queue); default: $QUEUE_POLICY_FILE
  --acknowledgement <text>         Sent before the transfer; "" for none
  --closed-message <text>          Sent when the queue is closed or on holiday
  --emergency-message <text>       Sent when the queue's emergency group is active
  --out <dir>                      Output folder (default: a new folder named after the
                                   bridge host, genesys-artifacts-<host>; never the
                                   committed genesys/ templates unless given)
  --allow-http                     Accept an http:// bridge URL (a lab; Genesys needs https)
  --check                          Write nothing; exit 1 listing files that differ
                                   (default folder: genesys/)
  -h, --help                       Show this help

Examples:
  continuity-bridge genesys-artifacts --bridge-url https://bridge.example.com --default-queue-id <id>
  continuity-bridge genesys-artifacts --check

Exit codes:
  0   written (or, with --check, no file differs)
  1   with --check: files differ
  2   usage error, or an option that is not valid (named on stderr)`;

const STRING_FLAGS = {
  'bridge-url': 'bridgeUrl',
  'default-queue-id': 'defaultQueueId',
  'fallback-queue-id': 'fallbackQueueId',
  'fallback-queue-name': 'fallbackQueueName',
  'vip-queue-id': 'vipQueueId',
  'triage-queue-id': 'triageQueueId',
  'workflow-id': 'workflowId',
  'credentials-name': 'integrationName',
  'credential-field': 'credentialField',
  'action-name': 'actionName',
  'post-event-action-name': 'postEventActionName',
  'flow-name': 'flowName',
  'workflow-name': 'workflowName',
  division: 'divisionName',
  acknowledgement: 'acknowledgement',
  'closed-message': 'closedMessage',
  'emergency-message': 'emergencyMessage',
} as const satisfies Record<string, keyof ArtifactOptionsInput>;

const NUMBER_FLAGS = {
  'timeout-seconds': 'timeoutSeconds',
  'preferred-agent-wait-seconds': 'preferredAgentWaitSeconds',
  'trigger-delay-seconds': 'triggerDelaySeconds',
} as const satisfies Record<string, keyof ArtifactOptionsInput>;

export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

function optionsFrom(
  values: Record<string, string | boolean | undefined>,
  deadlineMs: number,
): unknown {
  const options: Record<string, unknown> = { ...PLACEHOLDER_OPTIONS, lookupDeadlineMs: deadlineMs };
  for (const [flag, key] of Object.entries(STRING_FLAGS)) {
    if (typeof values[flag] === 'string') options[key] = values[flag];
  }
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    const raw = values[flag];
    if (typeof raw === 'string') options[key] = /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  return options;
}

/**
 * `continuity-bridge genesys-artifacts`: 0 written (or no drift), 1 drift found
 * with `--check`, 2 bad usage or options. Reads LOOKUP_DEADLINE_MS from `env`
 * (through the env schema) to check the Data Action timeout against it.
 */
export async function genesysArtifacts(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CommandIo = processIo,
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    const flags = Object.fromEntries(
      [...Object.keys(STRING_FLAGS), ...Object.keys(NUMBER_FLAGS), 'out', 'policy-file'].map(
        (f) => [f, { type: 'string' as const }],
      ),
    );
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...flags,
        check: { type: 'boolean' },
        'allow-http': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const known = [...Object.keys(STRING_FLAGS), ...Object.keys(NUMBER_FLAGS)];
    known.push('out', 'policy-file', 'check', 'allow-http', 'help');
    io.stderr(
      `continuity-bridge genesys-artifacts: ${argumentProblem(error, known)}\nRun "continuity-bridge genesys-artifacts --help" for usage.\n`,
    );
    return 2;
  }
  if (values.help) {
    io.stdout(`${GENESYS_ARTIFACTS_USAGE}\n`);
    return 0;
  }
  const deadline = EnvSchema.shape.LOOKUP_DEADLINE_MS.safeParse(env.LOOKUP_DEADLINE_MS);
  if (!deadline.success) {
    io.stderr('LOOKUP_DEADLINE_MS: not a valid deadline\n');
    return 2;
  }
  const options = optionsFrom(values, deadline.data) as Record<string, unknown>;
  const policyFile =
    typeof values['policy-file'] === 'string' ? values['policy-file'] : env.QUEUE_POLICY_FILE;
  if (policyFile) {
    try {
      const { queues } = readPolicyFile(resolve(io.cwd, policyFile));
      options.queueSchedules = Object.fromEntries(
        Object.entries(queues).flatMap(([id, q]) => (q.schedule ? [[id, q.schedule]] : [])),
      );
    } catch (error) {
      io.stderr(`--policy-file: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const parsed = ArtifactOptions.safeParse(options);
  if (!parsed.success) {
    const flagOf = (key: PropertyKey) =>
      Object.entries({ ...STRING_FLAGS, ...NUMBER_FLAGS }).find(([, k]) => k === key)?.[0] ??
      String(key);
    for (const issue of parsed.error.issues)
      io.stderr(`--${flagOf(issue.path[0] ?? '')}: ${issue.message}\n`);
    return 2;
  }
  if (parsed.data.bridgeUrl.startsWith('http:') && values['allow-http'] !== true) {
    io.stderr(
      '--bridge-url: Genesys calls Data Actions over public HTTPS; give an https:// URL (or --allow-http for a lab)\n',
    );
    return 2;
  }
  const files = generateArtifacts(parsed.data);
  // Written into a folder of its own, so the committed templates (genesys/,
  // what `--check` compares by default) are never overwritten by accident.
  const defaultOut = values.check
    ? 'genesys'
    : `genesys-artifacts-${new URL(parsed.data.bridgeUrl).hostname}`;
  const outDir = resolve(io.cwd, typeof values.out === 'string' ? values.out : defaultOut);

  if (values.check) {
    const drift = await findDrift(outDir, files);
    for (const d of drift) io.stderr(`${d.problem}: ${d.path}\n`);
    if (drift.length > 0) {
      io.stderr(
        `${drift.length} file(s) differ from the generator output in ${outDir}; run without --check.\n`,
      );
      return 1;
    }
    io.stdout(`${files.length} file(s) in ${outDir} match the generator output.\n`);
    return 0;
  }
  await writeArtifacts(outDir, files);
  for (const file of files) io.stdout(`wrote ${file.path}\n`);
  io.stdout(`${files.length} file(s) written to ${outDir}\n`);
  const placeholders = remainingPlaceholders(parsed.data);
  if (placeholders.length > 0) {
    io.stderr(`warning: still placeholders: ${placeholders.join(', ')} (see --help)\n`);
  }
  return 0;
}
