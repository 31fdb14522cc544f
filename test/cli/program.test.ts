import { describe, expect, it } from 'vitest';
import { COMMANDS, programHelp, run } from '../../src/cli/program.ts';
import { captureIo, runCli } from './cli-harness.ts';

describe('continuity-bridge (the real executable)', () => {
  it('prints the program help with every command, exit codes and examples', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(result.stdout).toContain(`  ${name}`);
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*0 {3}success[\s\S]*78 {2}configuration/);
    expect(result.stdout).toContain('Examples:');
  });

  it('exits 2 on an unknown command and says which one', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain('Usage: continuity-bridge <command>');
    expect(result.stdout).toBe('');
  });

  it('keeps exit 78 for a configuration that does not parse', async () => {
    const result = await runCli(['failed', 'list'], { PORT: 'not-a-port' });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^Configuration error: PORT: /);
  });
});

describe('help and usage (in-process)', () => {
  const commands = Object.keys(COMMANDS);

  it.each(commands)(
    '%s --help has the one format: usage, options, examples, exit codes',
    async (name) => {
      const out = captureIo();
      expect(await run([name, '--help'], {}, out.io)).toBe(0);
      expect(out.stdout()).toMatch(new RegExp(`^Usage: continuity-bridge ${name}\\b`));
      expect(out.stdout()).toMatch(/\n {2}-h, --help +Show this help\n/);
      expect(out.stdout()).toMatch(/\nExamples:\n {2}continuity-bridge /);
      expect(out.stdout()).toMatch(/\nExit codes:\n {2}0 {3}/);
    },
  );

  it('help <command> is the command help; -v prints the version', async () => {
    const out = captureIo();
    expect(await run(['help', 'replay'], {}, out.io)).toBe(0);
    expect(out.stdout()).toContain('Usage: continuity-bridge replay <file>');
    const version = captureIo();
    expect(await run(['--version'], {}, version.io)).toBe(0);
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('routes genesys-artifacts to its command', async () => {
    expect(programHelp()).toContain('genesys-artifacts');
    const out = captureIo();
    expect(await run(['genesys-artifacts', '--help'], {}, out.io)).toBe(0);
    expect(out.stdout()).toContain('continuity-bridge genesys-artifacts');
  });

  it.each([
    [['lookup'], 'expected exactly one <number>'],
    [['lookup', '+5511987654321', '--queue'], 'unknown option --queue (did you mean --queue-id?)'],
    [['lookup', '+5511987654321', '--queue-id'], '--queue-id needs a value'],
    [['failed', 'list', '--limt', '3'], 'unknown option --limt (did you mean --limit?)'],
    [['genesys-artifacts', '--bridge-ur', 'x'], 'did you mean --bridge-url?'],
    [['doctor', '--zzz'], 'unknown option --zzz (options: --help)'],
    [['replay'], 'expected exactly one <file>'],
    [['backfill'], '--since <duration> is required'],
    [['backfill', '--since', '3 days'], 'is not a duration'],
    [['backfill', '--since', '1h', '--until', 'yesterday'], 'is not an ISO time'],
    [['failed'], 'expected list or retry'],
    [['failed', 'retry'], 'expected one job id, or --all'],
    [['failed', 'retry', '7', '--all'], 'not both'],
    [['failed', 'list', '--limit', '0'], 'not a positive whole number'],
    [['doctor', 'now'], 'unexpected argument'],
    [['serve', 'extra'], 'unexpected argument'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const out = captureIo();
    expect(await run(argv, {}, out.io)).toBe(2);
    expect(out.stderr()).toContain(message);
    expect(out.stderr()).not.toContain('Unknown option'); // Node's own text
    expect(out.stderr()).toContain(`Run "continuity-bridge ${argv[0]} --help"`);
  });

  it('backfill without Genesys credentials exits 78 with what to set', async () => {
    const out = captureIo();
    expect(
      await run(['backfill', '--since', '6h'], { REDIS_URL: 'redis://127.0.0.1:1' }, out.io),
    ).toBe(78);
    expect(out.stderr()).toContain('GENESYS_CLIENT_ID');
  });
});
