import { LookupRequest } from '../routing/lookup.contract.ts';
import { maskCustomerKey, normalizeAddress } from '../domain/customer-key.ts';
import type { RoutingDecision } from '../domain/routing-policy.ts';
import type { LookupSource } from '../routing/lookup.service.ts';
import { parseCommandLine } from './cli-args.ts';
import { EXIT, palette, processIo, runCommand, UsageError, type CliIo } from './cli-io.ts';
import { loadConfig } from '../config/config.ts';
import { withLookup } from './command-bridge.ts';

export const LOOKUP_HELP = `Usage: continuity-bridge lookup <number> [--queue-id <id>] [--json]

Asks the bridge what Genesys would be told for this customer: the same lookup
the Data Action calls (cache, store, agent availability, routing policy), so the
answer is exactly the flow's. Needs the same environment as the server.

Arguments:
  <number>          The customer's address in any form: +5511987654321,
                    5511987654321, whatsapp:+55…, tel:+55…, or a WhatsApp user id

Options:
  --queue-id <id>   The queue the flow would use by default (Genesys queue id)
  --json            Print the decision as the Data Action receives it
  -h, --help        Show this help

Examples:
  continuity-bridge lookup +5511987654321
  continuity-bridge lookup "whatsapp:+55 11 98765-4321" --queue-id 8cf75217-4d77-4973-8bf7-f2e4dea0c5ec --json

Exit codes:
  0   a decision was made, including 'invalid_address' for a number that is
      not a WhatsApp address (the flow gets that decision too; the reason is
      printed on stderr)
  1   the store could not be read in time (decision 'crm_unavailable') or
      another failure
  2   usage error
  78  configuration error
`;

const short = (id: string) => (id.length > 8 ? `${id.slice(0, 8)}…` : id);

function ago(minutes: number): string {
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return `${Math.floor(minutes / 1440)} d ago`;
}

function target(decision: RoutingDecision): string {
  const queue = decision.queueId ? `queue ${short(decision.queueId)}` : "the flow's queue";
  if (decision.action === 'agent') {
    return `agent ${short(decision.agentId)} in ${queue}`;
  }
  return queue;
}

/** `agent → agent 91979899… in queue 8cf75217… (reason owner_available, last conversation 9bd13240…, 42 min ago)` */
export function describeDecision(decision: RoutingDecision): string {
  const last = decision.lastConversationId
    ? `, last conversation ${short(decision.lastConversationId)}, ${ago(decision.ageMinutes)}`
    : '';
  return `${decision.action} → ${target(decision)} (reason ${decision.reason}${last})`;
}

/** The full ids behind the one-line summary, for copying into Genesys or Salesforce. */
export function decisionDetails(decision: RoutingDecision, source: LookupSource): string[] {
  const rows: Array<[string, string]> = [];
  if (decision.agentIds.length > 0) {
    const ranked = decision.agentIds.map((id, i) => `${id} (${decision.agentScores[i] ?? 0})`);
    rows.push(['agents', ranked.join(', ')]);
  }
  if (decision.queueId) rows.push(['queue', decision.queueId]);
  if (decision.lastConversationId) rows.push(['conversation', decision.lastConversationId]);
  if (decision.contactId) rows.push(['contact', decision.contactId]);
  if (decision.caseId) {
    const number = decision.caseNumber ? ` (${decision.caseNumber})` : '';
    rows.push(['case', `${decision.caseId}${number}`]);
  }
  if (decision.vip) rows.push(['vip', 'yes']);
  rows.push(['source', source]);
  return rows.map(([label, value]) => `  ${label.padEnd(13)} ${value}`);
}

export async function lookup(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('lookup', io, async () => {
    const { values, positionals } = parseCommandLine(argv, {
      'queue-id': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(LOOKUP_HELP);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError('expected exactly one <number>');
    const request = LookupRequest.safeParse({
      address: positionals[0],
      queueId: values['queue-id'] ?? '',
    });
    if (!request.success) {
      const issue = request.error.issues[0];
      throw new UsageError(`${issue?.path.join('.') ?? 'address'}: ${issue?.message ?? 'invalid'}`);
    }

    const { decision, source, cacheUp } = await withLookup(
      loadConfig(env),
      env,
      io,
      async (service, cacheReachable) => ({
        ...(await service.lookup(request.data)),
        cacheUp: cacheReachable(),
      }),
    );
    if (!cacheUp) io.stderr('note: Redis is not reachable; answered without the cache\n');
    const address = normalizeAddress(request.data.address);
    if (values.json) {
      io.stdout(`${JSON.stringify(decision, null, 2)}\n`);
    } else {
      const colours = palette(io.stdoutIsTTY, env);
      const who = address.ok ? maskCustomerKey(address.key) : '(invalid address)';
      io.stdout(`${colours.dim(who)} ${colours.bold(describeDecision(decision))}\n`);
      io.stdout(`${decisionDetails(decision, source).join('\n')}\n`);
    }
    if (!address.ok) io.stderr(`note: not a WhatsApp address: ${address.reason}\n`);
    if (decision.reason === 'crm_unavailable') {
      io.stderr(
        'the store did not answer in time; this is the degraded answer the flow gets now\n',
      );
      return EXIT.failure;
    }
    return EXIT.ok;
  });
}
