import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface DemoRedis {
  readonly url: string;
  /** True when the demo started its own redis-server (and will stop it). */
  readonly started: boolean;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, chosen by the kernel (also used by the tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no free port')),
      );
    });
  });
}

/** Uses REDIS_URL when given; otherwise starts a throwaway redis-server on a free port. */
export async function startDemoRedis(url: string | undefined): Promise<DemoRedis> {
  if (url) return { url, started: false, stop: async () => {} };
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', () =>
      reject(
        new Error(
          'redis-server is not installed: apt-get install -y redis-server, or set REDIS_URL',
        ),
      ),
    );
    child.once('spawn', () => setTimeout(resolve, 300));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    started: true,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
