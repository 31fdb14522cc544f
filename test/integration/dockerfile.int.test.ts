import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, testEnv } from '../support/bridge.ts';
import { REPO, spawnBridge, type BridgeProcess } from '../support/bridge-process.ts';
import {
  buildContext,
  copyInto,
  envOf,
  inContext,
  parseDockerfile,
  type Instruction,
} from '../support/dockerfile.ts';
import { freePort, startRedis, type TestRedis } from '../support/redis-server.ts';

/*
 * No Docker engine runs here, so the image's steps are performed on a copy of
 * the repo: the build context .dockerignore leaves, each COPY, the production
 * install (offline, from the npm cache the development install filled), then
 * the CMD and the HEALTHCHECK with Node 24, as the container would run them.
 */

const instructions = parseDockerfile(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
const all = (keyword: string): Instruction[] => instructions.filter((i) => i.keyword === keyword);
const execForm = (args: string): string[] => JSON.parse(args.slice(args.indexOf('['))) as string[];
// The Node running the tests is the project's Node 24: the image's `node`.
const PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
const node = (argv: readonly string[]) =>
  argv[0] === 'node' ? [process.execPath, ...argv.slice(1)] : [...argv];

describe('Dockerfile', () => {
  it('is Node 24 slim, runs as a non-root user, checks /healthz, and runs node as PID 1', () => {
    expect(all('FROM').map((i) => i.args)).toEqual(['node:24-slim']);
    expect(all('USER').at(-1)?.args).toBe('node');
    expect(all('RUN').some((i) => /npm ci --omit=dev/.test(i.args))).toBe(true);
    expect(all('HEALTHCHECK')).toHaveLength(1);
    // Exec form (a JSON array): no shell between the container's signals and node.
    expect(execForm(all('CMD').at(-1)!.args)).toEqual([
      'node',
      'bin/continuity-bridge.js',
      'serve',
    ]);
  });

  it('keeps tests, benchmarks, local data and secrets out of the build context', () => {
    const patterns = readFileSync(join(REPO, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    for (const file of ['src/main.ts', 'bin/continuity-bridge.js', 'package-lock.json'])
      expect(inContext(file, patterns), file).toBe(true);
    for (const file of [
      'src/main.ts.test.ts',
      'src/domain/ownership.test.ts',
      'test/integration/start-stop.int.test.ts',
      'bench/lookup.bench.ts',
      'data/continuity.sqlite',
      '.env',
      'force-app/main/default/objects/Contact/fields/Last_Agent_Id__c.field-meta.xml',
    ])
      expect(inContext(file, patterns), file).toBe(false);
  });
});

describe('the image, built and started without Docker', () => {
  let app: string;
  let redis: TestRedis;
  let bridge: BridgeProcess | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    app = mkdtempSync(join(tmpdir(), 'cb-image-'));
    const context = buildContext(REPO);
    for (const { keyword, args } of instructions) {
      if (keyword === 'COPY') copyInto(context, REPO, args, app);
      if (keyword !== 'RUN') continue;
      // Only the install touches /app; mkdir/chown and cache cleaning are the image's own.
      for (const step of args.split('&&').map((part) => part.trim())) {
        if (!step.startsWith('npm ci')) continue;
        execFileSync('npm', [...step.split(/\s+/).slice(1), '--offline'], {
          cwd: app,
          env: { PATH, HOME: process.env.HOME ?? '', npm_config_loglevel: 'error' },
          stdio: 'pipe',
        });
      }
    }
  }, 180_000);
  afterAll(async () => {
    bridge?.kill();
    await redis?.stop();
    rmSync(app, { recursive: true, force: true });
  });

  it('installs production dependencies only, starts, is healthy, answers, and stops on SIGTERM', async () => {
    expect(existsSync(join(app, 'node_modules/express/package.json'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(join(app, 'test'))).toBe(false);

    const port = await freePort();
    const env = {
      ...envOf(instructions),
      ...testEnv(redis.url, { PORT: String(port), LOG_LEVEL: 'info' }),
      PATH,
    };
    const [file, ...args] = node(execForm(all('CMD').at(-1)!.args));
    bridge = spawnBridge(env, { file: file!, args, cwd: app });
    await expect.poll(() => bridge!.output().includes('listening'), { timeout: 30_000 }).toBe(true);

    const [checkFile, ...checkArgs] = node(execForm(all('HEALTHCHECK')[0]!.args));
    const check = spawnSync(checkFile!, checkArgs, { cwd: app, env, timeout: 10_000 });
    expect(check.status).toBe(0);
    const res = await postJson(`http://127.0.0.1:${port}/v1/routing/lookup`, {
      address: '+5511987654321',
    });
    expect(res.status).toBe(200);

    bridge.child.kill('SIGTERM');
    expect(await bridge.exited).toBe(0);
    // With the bridge gone, the health check fails.
    expect(spawnSync(checkFile!, checkArgs, { cwd: app, env, timeout: 10_000 }).status).toBe(1);
  }, 120_000);
});
