import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, waitForPing } from './redis-server.ts';
import { tempDir } from './temp-dir.ts';

const run = promisify(execFile);

/** One redis-server process this test started, stopped by its PID. */
export interface RedisProcess {
  readonly port: number;
  readonly pid: number;
  /** SIGKILL (an outage); resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts the same server again on the same port with the same arguments. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (+10000) is free too. */
async function freeClusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port <= 55_535 && (await portIsFree(port + 10_000))) return port;
  }
  throw new Error('no free port pair for a cluster node');
}

/** Waits for a node to answer PING (the one probe, shared with startRedis). */
export const ping = waitForPing;

/** Starts `redis-server ...args` on `port` (args exclude the port) and waits for PING. */
export async function startRedisProcess(
  port: number,
  args: readonly string[],
): Promise<RedisProcess> {
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn('redis-server', [...args], { stdio: 'ignore' });
    await ping(port);
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
    port,
    get pid() {
      return child?.pid ?? 0;
    },
    kill: () => halt('SIGKILL'),
    restart: launch,
    stop: () => halt('SIGTERM'),
  };
}

/** A command to one node (no cluster redirections, no retries). */
export async function ask(port: number, ...command: Array<string | number>): Promise<unknown> {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    return await redis.call(String(command[0]), ...command.slice(1));
  } finally {
    redis.disconnect();
  }
}

async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const COMMON = ['--bind', '127.0.0.1', '--save', '', '--maxmemory-policy', 'noeviction'];

export interface TestCluster {
  readonly nodes: readonly RedisProcess[];
  /** `REDIS_CLUSTER_NODES` for these nodes. */
  readonly seeds: string;
  stop(): Promise<void>;
}

/** Masters (`--cluster-enabled yes`, three by default), each with `replicasPerMaster` replicas, joined with `redis-cli --cluster create`. */
export async function startCluster(masters = 3, replicasPerMaster = 0): Promise<TestCluster> {
  const dir = tempDir('cb-cluster-');
  const nodes: RedisProcess[] = [];
  try {
    for (let i = 0; i < masters * (1 + replicasPerMaster); i++) {
      const port = await freeClusterPort();
      nodes.push(
        await startRedisProcess(port, [
          '--port',
          String(port),
          ...COMMON,
          '--appendonly',
          'no',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
          '--dir',
          dir,
        ]),
      );
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run(
      'redis-cli',
      [
        ...['--cluster', 'create', ...addresses],
        ...['--cluster-replicas', String(replicasPerMaster), '--cluster-yes'],
      ],
      {
        timeout: 20_000,
      },
    );
    await until(
      async () => {
        for (const node of nodes) {
          const info = String(await ask(node.port, 'CLUSTER', 'INFO'));
          if (!info.includes('cluster_state:ok')) return false;
        }
        return true;
      },
      20_000,
      'the cluster to be ok',
    );
    // Replicas count for WAIT only once their link to the master is up.
    await until(
      async () => {
        for (const node of nodes) {
          const role = (await ask(node.port, 'ROLE')) as unknown[];
          if (role[0] === 'master' && (role[2] as unknown[]).length < replicasPerMaster)
            return false;
          if (role[0] === 'slave' && role[3] !== 'connected') return false;
        }
        return true;
      },
      20_000,
      'the replicas to be in sync',
    );
  } catch (error) {
    for (const node of nodes) await node.kill();
    throw error;
  }
  return {
    nodes,
    seeds: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    stop: async () => {
      for (const node of nodes) await node.kill();
    },
  };
}

export interface TestSentinelGroup {
  readonly masterName: string;
  /** The servers, in start order: [0] is the first master, then its replicas. */
  readonly servers: readonly RedisProcess[];
  readonly sentinels: readonly RedisProcess[];
  /** `REDIS_SENTINELS` for these sentinels. */
  readonly seeds: string;
  /** The port the sentinels currently name as master. */
  masterPort(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A master with `replicas` replicas (AOF, fsync always) watched by three sentinels
 * (quorum 2) that declare the master down after 1 s: a failover takes a few
 * seconds instead of the default 30+.
 */
export async function startSentinelGroup(
  masterName = 'continuity',
  replicas = 2,
): Promise<TestSentinelGroup> {
  const dir = tempDir('cb-sentinel-');
  const servers: RedisProcess[] = [];
  const sentinels: RedisProcess[] = [];
  const stopAll = async () => {
    for (const process of [...sentinels, ...servers]) await process.kill();
  };
  try {
    const masterPort = await freePort();
    const server = (port: number, extra: string[]) => {
      return startRedisProcess(port, [
        '--port',
        String(port),
        ...COMMON,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        // A replica (re)joining starts syncing at once instead of after 5 s.
        '--repl-diskless-sync-delay',
        '0',
        '--dir',
        mkdtempSync(join(dir, `data-${port}-`)),
        ...extra,
      ]);
    };
    servers.push(await server(masterPort, []));
    for (let i = 0; i < replicas; i++) {
      const replicaPort = await freePort();
      servers.push(await server(replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]));
      await until(
        async () =>
          String(await ask(replicaPort, 'INFO', 'replication')).includes('master_link_status:up'),
        10_000,
        'the replica to sync',
      );
    }
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const file = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${masterName} 1000`,
          `sentinel failover-timeout ${masterName} 5000`,
          `sentinel parallel-syncs ${masterName} 1`,
          '',
        ].join('\n'),
      );
      sentinels.push(await startRedisProcess(port, [file, '--sentinel']));
    }
    await until(
      async () => {
        for (const sentinel of sentinels) {
          const quorum = String(await ask(sentinel.port, 'SENTINEL', 'CKQUORUM', masterName));
          if (!quorum.includes('3 usable')) return false;
          const known = (await ask(sentinel.port, 'SENTINEL', 'REPLICAS', masterName)) as unknown[];
          if (known.length < replicas) return false;
        }
        return true;
      },
      20_000,
      'the sentinels to see each other and the replica',
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    masterName,
    servers,
    sentinels,
    seeds: sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(','),
    masterPort: async () => {
      const address = (await ask(
        sentinels[0]!.port,
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        masterName,
      )) as [string, string];
      return Number(address[1]);
    },
    stop: stopAll,
  };
}

export { until };
