import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../config/config.ts';
import { createBridge, type BridgeRoles } from '../main.ts';
import { parseCommandLine } from './cli-args.ts';
import type { Logger } from '../observability/logger.ts';
import { EXIT, processIo, runCommand, UsageError, type CliIo } from './cli-io.ts';

export const SERVE_HELP = `Usage: continuity-bridge serve [--no-worker]

Starts the HTTP API (lookup, events, health, metrics) and the reconcile worker
in one process: the default when no command is given. Configuration comes from
the environment (README.md, "Configuration"). SIGTERM or SIGINT drains
requests and in-flight jobs, then exits 0; after SHUTDOWN_TIMEOUT_MS (default
10000) it exits 1 with whatever is still pending. A second signal exits at once.

With no API_TOKENS set, a token is generated for this run and printed once.

Options:
  --no-worker  HTTP only: leave reconcile jobs to "continuity-bridge worker"
               processes
  -h, --help   Show this help

Scale out: run "continuity-bridge serve --no-worker" behind a load balancer
and as many "continuity-bridge worker" processes as needed
(docs/operations.md).

Examples:
  continuity-bridge serve
  PORT=8443 continuity-bridge serve --no-worker

Exit codes:
  0   stopped by a signal, everything drained
  1   failure at start-up, or a drain cut short by SHUTDOWN_TIMEOUT_MS
  2   usage error
  78  configuration error
`;

export const WORKER_HELP = `Usage: continuity-bridge worker

Starts the reconcile worker alone, with no API: it takes reconcile
jobs from Redis, reads the conversation (Genesys, or the recorded event) and
writes the owner to the store. Run several to scale out; with Genesys
credentials one of them also runs the periodic sweep (a BullMQ scheduler, so
only one sweep runs at a time however many workers there are). With
METRICS_PORT set it serves /healthz, /readyz and /metrics on that port.

Options:
  -h, --help   Show this help

Examples:
  continuity-bridge worker
  METRICS_PORT=9464 continuity-bridge worker

Exit codes:
  0   stopped by a signal, everything drained
  1   failure at start-up, or a drain cut short by SHUTDOWN_TIMEOUT_MS
  2   usage error
  78  configuration error
`;

/**
 * With no API_TOKENS configured, a fresh token is generated and printed once,
 * so `npm start` works on a new machine and is still never open to anyone.
 */
export function configWithToken(env: NodeJS.ProcessEnv, print: (line: string) => void): Config {
  const config = loadConfig(env);
  if (config.http.apiTokens.length > 0) return config;
  const token = randomBytes(24).toString('base64url');
  print(
    `No API_TOKENS set: generated a token for this run (it is not stored; set API_TOKENS to keep one):\n  ${token}`,
  );
  return loadConfig({ ...env, API_TOKENS: token });
}

export async function serve(
  env: NodeJS.ProcessEnv,
  roles: BridgeRoles = { web: true, worker: true },
): Promise<void> {
  // The generated token is printed only once the port is bound: a start that
  // fails must not leave a token on screen that no process accepts.
  let tokenNotice: string | undefined;
  const config = roles.web ? configWithToken(env, (line) => (tokenNotice = line)) : loadConfig(env);
  const bridge = await createBridge(config, {}, roles);
  const { logger } = bridge.infra;
  const context = {
    store: bridge.infra.store.kind,
    genesys: config.genesys.enabled,
    worker: roles.worker,
  };
  const opsPort =
    config.http.metricsPort === undefined
      ? undefined
      : await bridge.listenOps(config.http.metricsPort);
  if (roles.web) {
    const port = await bridge.listen().catch(async (error: NodeJS.ErrnoException) => {
      await bridge.close().catch(() => {});
      if (error.code !== 'EADDRINUSE') throw error;
      throw new Error(
        `port ${config.http.port} on ${config.http.host} is already in use (another continuity-bridge?); stop it or set PORT to a free port`,
      );
    });
    if (tokenNotice) process.stdout.write(`${tokenNotice}\n`);
    const scheme = config.http.tls ? 'https' : 'http';
    logger.info(
      { ...context, port, tls: config.http.tls !== undefined, metricsPort: opsPort },
      `continuity-bridge listening on ${scheme}://${config.http.host}:${port}`,
    );
  } else {
    logger.info({ ...context, metricsPort: opsPort }, 'continuity-bridge worker started');
  }
  process.on('SIGHUP', () => bridge.reloadTls());
  stopOnSignals(bridge.close, logger, config.http.shutdownTimeoutMs);
}

const PARENT_CHECK_MS = 1000;

/**
 * SIGTERM and SIGINT stop the process: drain, close, exit 0, or exit 1 once
 * `timeoutMs` has passed with work still pending (Redis or the CRM gone), so
 * a supervisor's stop always ends. A second signal exits at once. A process
 * whose parent went away (an `npm start` killed without passing the signal on)
 * stops too, rather than holding the port for a start that will never come.
 */
export function stopOnSignals(close: () => Promise<void>, logger: Logger, timeoutMs: number): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, timeoutMs }, 'shutting down: draining requests and jobs');
    setTimeout(() => {
      logger.error(
        { timeoutMs },
        'shutdown did not finish within SHUTDOWN_TIMEOUT_MS (Redis or the CRM not answering): exiting with work pending; unfinished jobs are retried by the next worker',
      );
      process.exit(1);
    }, timeoutMs);
    try {
      await close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop('parent exited');
  }, PARENT_CHECK_MS).unref();
}

/** Starts a long-running role; resolves to -1 ("still running") once started. */
export async function serveCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('serve', io, async () => {
    const { values, positionals } = parseCommandLine(argv, { 'no-worker': { type: 'boolean' } });
    if (values.help) {
      io.stdout(SERVE_HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    await serve(env, { web: true, worker: values['no-worker'] !== true });
    return -1;
  });
}

export async function workerCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = processIo(),
): Promise<number> {
  return runCommand('worker', io, async () => {
    const { values, positionals } = parseCommandLine(argv, {});
    if (values.help) {
      io.stdout(WORKER_HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    await serve(env, { web: false, worker: true });
    return -1;
  });
}
