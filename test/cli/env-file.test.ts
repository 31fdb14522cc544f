import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from '../../src/config/env.schema.ts';
import { run } from '../../src/cli/program.ts';
import { captureIo } from './cli-harness.ts';
import { tempDir } from '../support/temp-dir.ts';

const EXAMPLE = fileURLToPath(new URL('../../.env.example', import.meta.url));

describe('.env.example and --env-file', () => {
  it('.env.example names only variables the bridge reads, and parses with their defaults', () => {
    const values = parseEnv(readFileSync(EXAMPLE, 'utf8'));
    const known = new Set(Object.keys(EnvSchema.shape));
    expect(Object.keys(values).filter((name) => !known.has(name))).toEqual([]);
    // Empty values mean "the default": the file as shipped is a valid configuration.
    const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    expect(EnvSchema.safeParse(given).success).toBe(true);
  });

  it('reads the file before the command runs; the environment wins over it', async () => {
    const dir = tempDir('cb-env-file-');
    const file = join(dir, '.env');
    writeFileSync(file, 'PORT=99999\nLOOKUP_DEADLINE_MS=abc\n');
    const out = captureIo();
    expect(await run(['--env-file', file, 'doctor'], { LOOKUP_DEADLINE_MS: '2000' }, out.io)).toBe(
      1,
    );
    expect(out.stdout()).toMatch(/✖ config: PORT: /);
    expect(out.stdout()).not.toContain('LOOKUP_DEADLINE_MS');

    const equals = captureIo();
    expect(await run(['doctor', `--env-file=${file}`], {}, equals.io)).toBe(1);
    expect(equals.stdout()).toMatch(/✖ config: .*PORT/);
  });

  it('names a file it cannot read (exit 2)', async () => {
    const out = captureIo();
    expect(await run(['--env-file', '/nonexistent/.env', 'doctor'], {}, out.io)).toBe(2);
    expect(out.stderr()).toContain('--env-file: cannot read /nonexistent/.env (ENOENT)');
  });
});
