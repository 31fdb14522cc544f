import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { genesysArtifacts, type CommandIo } from './genesys-artifacts.command.ts';
import { ARTIFACT_PATHS } from '../genesys-artifacts/genesys-artifacts.ts';

let dir: string;
let out: string[];
let err: string[];
let io: CommandIo;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-artifacts-'));
  writeFileSync(join(dir, 'policy.json'), JSON.stringify(POLICY));
  out = [];
  err = [];
  io = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), cwd: dir };
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const REAL = [
  '--bridge-url',
  'https://cb.acme.test',
  '--default-queue-id',
  'q-default',
  '--fallback-queue-id',
  'q-fallback',
  '--fallback-queue-name',
  'Fallback',
  '--vip-queue-id',
  'q-vip',
  '--triage-queue-id',
  'q-triage',
  '--workflow-id',
  'wf-1',
  '--policy-file',
  'policy.json',
];

const POLICY = {
  queues: {
    'q-default': {
      affinityWindowHours: 48,
      schedule: { scheduleGroup: 'Support hours', offHoursQueueId: 'q-night' },
    },
    'q-vip': { vipPriority: 30 },
  },
};

describe('continuity-bridge genesys-artifacts', () => {
  it('prints usage with --help', async () => {
    expect(await genesysArtifacts(['--help'], {}, io)).toBe(0);
    expect(out.join('')).toContain('--bridge-url');
  });

  it('writes every artifact for the given URL and queues, without placeholder warnings', async () => {
    expect(await genesysArtifacts([...REAL, '--timeout-seconds', '10'], {}, io)).toBe(0);
    const lookup = JSON.parse(
      readFileSync(
        join(dir, 'genesys-artifacts-cb.acme.test', ARTIFACT_PATHS.lookupAction),
        'utf8',
      ),
    );
    expect(lookup.config.request.requestUrlTemplate).toBe('https://cb.acme.test/v1/routing/lookup');
    expect(lookup.config.timeoutSeconds).toBe(10);
    const flow = readFileSync(
      join(dir, 'genesys-artifacts-cb.acme.test', ARTIFACT_PATHS.inboundFlow),
      'utf8',
    );
    expect(flow).toContain('lit: q-triage');
    expect(flow).toMatch(/Flow.targetQueueId == \\"q-default\\"[\s\S]*name: Support hours/);
    expect(flow).toContain('Opening hours evaluated for: q-default.');
    expect(err.join('')).toBe('');
  });

  it('writes to a new folder named after the bridge host, never over the committed genesys/', async () => {
    expect(await genesysArtifacts(REAL, {}, io)).toBe(0);
    expect(existsSync(join(dir, 'genesys'))).toBe(false);
    expect(out.join('')).toContain(`written to ${join(dir, 'genesys-artifacts-cb.acme.test')}`);
  });

  it('refuses an http:// bridge URL unless --allow-http', async () => {
    const http = REAL.map((a) => (a === 'https://cb.acme.test' ? 'http://cb.acme.test' : a));
    expect(await genesysArtifacts(http, {}, io)).toBe(2);
    expect(err.join('')).toMatch(/--bridge-url: .*https.*--allow-http/);
    expect(existsSync(join(dir, 'genesys-artifacts-cb.acme.test'))).toBe(false);
    expect(await genesysArtifacts([...http, '--allow-http'], {}, io)).toBe(0);
  });

  it('refuses a policy file whose schedule is not valid, naming the entry', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ queues: { q1: { schedule: {} } } }));
    const args = [...REAL.slice(0, -2), '--policy-file', 'bad.json'];
    expect(await genesysArtifacts(args, {}, io)).toBe(2);
    expect(err.join('')).toMatch(/--policy-file: .*queues\.q1\.schedule.*scheduleGroup/);
  });

  it('warns about options still holding placeholders', async () => {
    expect(await genesysArtifacts(['--out', 'x'], {}, io)).toBe(0);
    expect(err.join('')).toMatch(/still placeholders: bridgeUrl, defaultQueueId/);
  });

  it('--check exits 0 when the folder matches, 1 listing missing and changed files', async () => {
    await genesysArtifacts([...REAL, '--out', 'g'], {}, io);
    expect(await genesysArtifacts([...REAL, '--out', 'g', '--check'], {}, io)).toBe(0);

    const flowPath = join(dir, 'g', ARTIFACT_PATHS.inboundFlow);
    writeFileSync(flowPath, `${readFileSync(flowPath, 'utf8')}# edited\n`);
    rmSync(join(dir, 'g', ARTIFACT_PATHS.trigger));
    err = [];
    expect(await genesysArtifacts([...REAL, '--out', 'g', '--check'], {}, io)).toBe(1);
    const report = err.join('');
    expect(report).toContain(`differs: ${ARTIFACT_PATHS.inboundFlow}`);
    expect(report).toContain(`missing: ${ARTIFACT_PATHS.trigger}`);
  });

  it('--check against the committed genesys/ folder passes with the placeholder options', async () => {
    const repo = fileURLToPath(new URL('../..', import.meta.url));
    expect(await genesysArtifacts(['--check'], {}, { ...io, cwd: repo })).toBe(0);
  });

  it('refuses a timeout that does not exceed LOOKUP_DEADLINE_MS, naming the flag', async () => {
    expect(
      await genesysArtifacts(
        [...REAL, '--timeout-seconds', '3'],
        { LOOKUP_DEADLINE_MS: '5000' },
        io,
      ),
    ).toBe(2);
    expect(err.join('')).toMatch(/--timeout-seconds: must exceed/);
  });

  it.each([
    [['--bridge-url', 'not a url'], /--bridge-url/],
    [['--timeout-seconds', 'ten'], /--timeout-seconds/],
    [['--vip-queue-id', 'a"b'], /--vip-queue-id/],
    [['--nope'], /unknown option --nope \(options: --bridge-url, /],
    [['stray'], /positional/],
  ])('exits 2 on bad usage %j', async (argv, message) => {
    expect(await genesysArtifacts(argv, {}, io)).toBe(2);
    expect(err.join('')).toMatch(message);
  });
});
