import { readFileSync } from 'node:fs';
import { EXIT, processIo, type CliIo, type Command } from './cli-io.ts';
import { applyEnvFiles } from './env-file.ts';

/**
 * The `continuity-bridge` command table and dispatcher (main.ts runs it). Each command
 * module is imported only when it runs, so `--help` and usage errors answer
 * without loading the SDKs.
 */

interface CommandEntry {
  readonly usage: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  serve: {
    usage: 'serve',
    summary: 'Start the HTTP API and the reconcile worker (the default)',
    load: async () => (await import('./serve.command.ts')).serveCommand,
  },
  worker: {
    usage: 'worker',
    summary: 'Start the reconcile worker alone (scale out: run several)',
    load: async () => (await import('./serve.command.ts')).workerCommand,
  },
  lookup: {
    usage: 'lookup <number>',
    summary: 'Show the routing decision the flow gets for a customer, and why',
    load: async () => (await import('./lookup.command.ts')).lookup,
  },
  replay: {
    usage: 'replay <file>',
    summary: 'Feed recorded events (JSON lines, EventBridge export) to the bridge',
    load: async () => (await import('./replay.command.ts')).replay,
  },
  backfill: {
    usage: 'backfill --since <d>',
    summary: 'Reconcile conversations that ended in a past window (Genesys)',
    load: async () => (await import('./backfill.command.ts')).backfill,
  },
  failed: {
    usage: 'failed list|retry',
    summary: 'List failed reconcile jobs; retry one or all',
    load: async () => (await import('./failed.command.ts')).failed,
  },
  'repair-versions': {
    usage: 'repair-versions',
    summary: 'Find (dry run) or cap (--apply) ownership versions stored in the future',
    load: async () => (await import('./repair-versions.command.ts')).repairVersions,
  },
  privacy: {
    usage: 'privacy export|delete|purge',
    summary: "Export or erase a customer's data everywhere; run the retention pass",
    load: async () => (await import('./privacy.command.ts')).privacy,
  },
  cache: {
    usage: 'cache clear',
    summary: 'Drop every cached owner (after switching stores); lookups read the store again',
    load: async () => (await import('./cache.command.ts')).cache,
  },
  doctor: {
    usage: 'doctor',
    summary: 'Check the configuration, Redis, the store and Genesys',
    load: async () => (await import('./doctor.command.ts')).doctor,
  },
  'genesys-artifacts': {
    usage: 'genesys-artifacts',
    summary: 'Write the Genesys Data Actions and Architect flow for a bridge URL',
    load: async () => {
      const { genesysArtifacts } = await import('./genesys-artifacts.command.ts');
      return (argv, env, io = processIo()) =>
        genesysArtifacts([...argv], env, {
          stdout: io.stdout,
          stderr: io.stderr,
          cwd: process.cwd(),
        });
    },
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function programHelp(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return `Usage: continuity-bridge <command> [options]

Routes returning WhatsApp customers in Genesys Cloud back to the agent who
knows their story, with Salesforce (or an embedded SQLite file) as the store.

Commands:
${lines.join('\n')}

Run "continuity-bridge <command> --help" for a command's options and examples.
Configuration comes from the environment (README.md, "Configuration");
operating it: docs/operations.md.

Options:
  --env-file <path>  Read variables from a dotenv file (.env.example lists
                     them); the environment wins over the file
  -h, --help         Show this help
  -v, --version      Show the version

Examples:
  continuity-bridge doctor
  continuity-bridge --env-file .env serve
  continuity-bridge lookup +5511987654321 --queue-id <queue-id>
  continuity-bridge failed list

Exit codes:
  0   success
  1   failure (a check failed, entries were rejected, a service is down)
  2   usage error (unknown command or option, missing argument)
  78  configuration error (the environment does not parse, or a command
      needs settings that are not there)
`;
}

/** Runs one command line; -1 means a long-running command was started. */
export async function run(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  const withFiles = applyEnvFiles(argv, env);
  if ('error' in withFiles) {
    io.stderr(`continuity-bridge: ${withFiles.error}\n`);
    return EXIT.usage;
  }
  env = withFiles.env;
  const [name = 'serve', ...rest] = withFiles.argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
    if (topic) return (await topic.load())(['--help'], env, io);
    io.stdout(programHelp());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr(`continuity-bridge: unknown command "${name}"\n\n${programHelp()}`);
    return EXIT.usage;
  }
  const command = await entry.load();
  return command(rest, env, io);
}
