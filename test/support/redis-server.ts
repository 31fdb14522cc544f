import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort } from '../../src/demo/demo-redis.ts';
import { tempDir } from './temp-dir.ts';

export { freePort };

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** The data directory of a persistent server (AOF, RDB files). */
  readonly dir: string | undefined;
  /** Stops the server gracefully. */
  stop(): Promise<void>;
  /** SIGKILLs the server (an outage). */
  kill(): Promise<void>;
  /** Kills it and starts it again on the same port (data survives only when persistent). */
  restart(): Promise<void>;
}

/**
 * Starts a private `redis-server` on a free port, so tests can stop and restart
 * it and never touch (let alone flush) a Redis they did not start.
 */
export async function startRedis(
  options: {
    persistent?: boolean;
    port?: number;
    /** Serve TLS only (no plain port) with this certificate; clients are not asked for one. */
    tls?: { cert: string; key: string };
    /** More `redis-server` arguments, e.g. `--user` ACL rules. */
    args?: readonly string[];
  } = {},
): Promise<TestRedis> {
  const port = options.port ?? (await freePort());
  const { tls } = options;
  const listen = tls
    ? [
        ...['--port', '0', '--tls-port', String(port)],
        ...['--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.cert],
        ...['--tls-auth-clients', 'no'],
      ]
    : ['--port', String(port)];
  const dir = options.persistent ? tempDir('cb-redis-') : undefined;
  // Persistent: AOF with fsync on every write, the production setting under
  // which an acknowledged event survives a crash (docs/operations.md).
  const persistence = options.persistent
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir!]
    : ['--appendonly', 'no'];
  let child: ChildProcess | undefined;

  const launch = async () => {
    child = spawn(
      'redis-server',
      [
        ...listen,
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...persistence,
        '--maxmemory-policy',
        'noeviction',
        ...(options.args ?? []),
      ],
      { stdio: 'ignore' },
    );
    await waitForPing(port, 10_000, tls?.cert);
  };
  const halt = async (signal: NodeJS.Signals) => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      current.once('exit', () => resolve());
      current.kill(signal);
    });
  };

  await launch();
  return {
    url: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    port,
    dir,
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    restart: async () => {
      await halt('SIGKILL');
      await launch();
    },
  };
}

/** Resolves once a Redis on `port` answers PING (cluster and sentinel nodes too). */
export async function waitForPing(port: number, timeoutMs = 10_000, tlsCa?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      ...(tlsCa && { tls: { ca: readFileSync(tlsCa) } }),
    });
    probe.on('error', () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      probe.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis on port ${port} did not answer (is redis-server installed?)`);
}
